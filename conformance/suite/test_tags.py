"""Tags: the tags machine against the target (``sagemaker-conformance rules --area tags``)."""

from conformance.machines import run_area

MACHINE = "tags"


def test_tags_follow_the_docs(machine_part, conformance_target, conformance_recorder, conformance_settings):
    part, parts = machine_part
    run_area(MACHINE, conformance_target, conformance_recorder, conformance_settings, part=part, parts=parts)
