"""Search: the search machine against the target (``sagemaker-conformance rules --area search``)."""

from conformance.machines import run_area

MACHINE = "search"


def test_search_follows_the_docs(machine_part, conformance_target, conformance_recorder, conformance_settings):
    part, parts = machine_part
    run_area(MACHINE, conformance_target, conformance_recorder, conformance_settings, part=part, parts=parts)
