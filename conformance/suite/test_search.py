"""Search: the search machine against the target (``sagemaker-conformance rules --area search``)."""

from conformance.machines import run_area


def test_search_follows_the_docs(conformance_target, conformance_recorder, conformance_settings):
    run_area("search", conformance_target, conformance_recorder, conformance_settings)
