"""Tags: the tags machine against the target (``sagemaker-conformance rules --area tags``)."""

from conformance.machines import run_area


def test_tags_follow_the_docs(conformance_target, conformance_recorder, conformance_settings):
    run_area("tags", conformance_target, conformance_recorder, conformance_settings)
