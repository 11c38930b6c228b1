"""Validation: invalid requests refused without effect (``sagemaker-conformance rules --area validation``).

Every other machine also checks each response against its output shape (the
``response.*`` rules of this area).
"""

from conformance.machines import run_area

MACHINE = "validation"


def test_invalid_requests_are_refused_without_effect(machine_part, conformance_target, conformance_recorder, conformance_settings):
    part, parts = machine_part
    run_area(MACHINE, conformance_target, conformance_recorder, conformance_settings, part=part, parts=parts)
