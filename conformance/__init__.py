"""sagemaker-conformance: a property-based conformance suite for SageMaker-compatible APIs."""

__version__ = "0.1.0"
