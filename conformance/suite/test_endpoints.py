"""Endpoint lifecycle and deployments: the endpoint machine against the target.

Rules: ``sagemaker-conformance rules --area lifecycle`` and ``--area deployments``.
"""

import pytest

from conformance.machines import run_area

MACHINE = "endpoints"

pytestmark = [pytest.mark.lifecycle, pytest.mark.deployments]


def test_endpoint_lifecycle_and_deployments_follow_the_docs(machine_part, conformance_target, conformance_recorder,
                                                              conformance_settings):
    part, parts = machine_part
    run_area(MACHINE, conformance_target, conformance_recorder, conformance_settings, part=part, parts=parts)
