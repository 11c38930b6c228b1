"""Arbitrary JSON payloads never crash the reference target: every answer is a 2xx or 4xx with a
``__type`` (never a 5xx or a traceback), whatever the members hold."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from conformance import model
from conformance.emulator import Emulator, protocol

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=False),
                    st.text(max_size=20), st.sampled_from(["ep", "m", "c", "AllTraffic", "Equals", "Contains",
                                                           "arn:aws:sagemaker:us-east-1:123456789012:model/m"]))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["Name", "Value", "Operator", "Key", "VariantName", "Type", "Filters", "NestedFilters",
                     "SubExpressions", "BlueGreenUpdatePolicy", "TrafficRoutingConfiguration", "ModelName",
                     "Image", "InitialInstanceCount", "CanarySize", "DesiredWeight"]) | st.text(max_size=5),
    inner, max_size=4), max_leaves=12)

EMULATOR = Emulator(account_id="444444444444")
_seeded = False


def _seed_resources():
    """A model, a config and an endpoint, so payloads naming them reach the handlers' deeper paths."""
    client = Client(EMULATOR.wsgi_app)
    for operation, payload in [
        ("CreateModel", {"ModelName": "m", "PrimaryContainer": {"Image": "img"},
                         "ExecutionRoleArn": "arn:aws:iam::123456789012:role/r"}),
        ("CreateEndpointConfig", {"EndpointConfigName": "c", "ProductionVariants": [
            {"VariantName": "AllTraffic", "ModelName": "m", "InstanceType": "ml.m5.large", "InitialInstanceCount": 2}]}),
        ("CreateEndpoint", {"EndpointName": "ep", "EndpointConfigName": "c"}),
    ]:
        client.post("/", data=json.dumps(payload), headers={"X-Amz-Target": f"SageMaker.{operation}"})


@pytest.mark.parametrize("operation", sorted(Emulator().operations))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(data=st.data())
def test_arbitrary_payloads_answer_2xx_or_4xx(operation, data):
    global _seeded
    if not _seeded:
        _seed_resources()
        _seeded = True
    members = list(model.operation_model(operation).input_shape.members)
    payload = data.draw(st.dictionaries(st.sampled_from(members), JSON_VALUES, max_size=len(members)))
    EMULATOR.clock.advance(data.draw(st.sampled_from([0, 30, 200])))
    answer = Client(EMULATOR.wsgi_app).post(
        "/", data=json.dumps(payload), headers={"X-Amz-Target": f"SageMaker.{operation}",
                                                "Content-Type": protocol.CONTENT_TYPE})
    assert answer.status_code < 500, answer.get_data()
    if answer.status_code >= 400:
        assert json.loads(answer.get_data())["__type"]
