"""The shipped conformance suite: ``pytest --pyargs conformance.suite --target=…`` (or ``sagemaker-conformance run``)."""
