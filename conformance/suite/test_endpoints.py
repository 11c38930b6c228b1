"""Endpoint lifecycle and deployments: the endpoint machine against the target.

Rules: ``sagemaker-conformance rules --area lifecycle`` and ``--area deployments``.
"""

import pytest

from conformance.machines import run_area

pytestmark = [pytest.mark.lifecycle, pytest.mark.deployments]


def test_endpoint_lifecycle_and_deployments_follow_the_docs(conformance_target, conformance_recorder,
                                                              conformance_settings):
    run_area("endpoints", conformance_target, conformance_recorder, conformance_settings)
