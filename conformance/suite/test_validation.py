"""Validation: invalid requests refused without effect (``sagemaker-conformance rules --area validation``).

Every other machine also checks each response against its output shape (the
``response.*`` rules of this area).
"""

from conformance.machines import run_area


def test_invalid_requests_are_refused_without_effect(conformance_target, conformance_recorder, conformance_settings):
    run_area("validation", conformance_target, conformance_recorder, conformance_settings)
