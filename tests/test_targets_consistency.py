"""The eventual-consistency helpers: bounded retries on the target's clock, only for the documented cases."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from conformance.targets import consistency


class FakeTarget:
    consistency_attempts = 4
    consistency_delay_s = 2.0

    def __init__(self) -> None:
        self.slept = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def client_error(code: str, message: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message},
                        "ResponseMetadata": {"HTTPStatusCode": 400}}, "CreateEndpoint")


class FlakyClient:
    """CreateEndpoint fails ``misses`` times as AWS does while a new EndpointConfig propagates."""

    def __init__(self, misses: int, error: ClientError) -> None:
        self.misses, self.error, self.calls = misses, error, 0

    def create_endpoint(self, **params):
        self.calls += 1
        if self.calls <= self.misses:
            raise self.error
        return {"EndpointArn": f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/{params['EndpointName']}"}


NOT_YET = client_error("ValidationException", 'Could not find endpoint configuration "arn:…:endpoint-config/c".')


def test_create_endpoint_retries_while_the_new_config_is_not_visible():
    target, client = FakeTarget(), FlakyClient(2, NOT_YET)
    answer = consistency.create_endpoint(target, client, EndpointName="e", EndpointConfigName="c")
    assert answer["EndpointArn"].endswith("/e")
    assert client.calls == 3 and target.slept == [2.0, 2.0]


def test_create_endpoint_gives_up_after_the_budget_and_shows_the_targets_answer():
    target, client = FakeTarget(), FlakyClient(10, NOT_YET)
    with pytest.raises(ClientError) as caught:
        consistency.create_endpoint(target, client, EndpointName="e", EndpointConfigName="c")
    assert caught.value is NOT_YET
    assert client.calls == 4 and len(target.slept) == 3


def test_other_errors_are_not_retried():
    other = client_error("ValidationException", "Cannot create already existing endpoint")
    target, client = FakeTarget(), FlakyClient(1, other)
    with pytest.raises(ClientError):
        consistency.create_endpoint(target, client, EndpointName="e", EndpointConfigName="c")
    assert client.calls == 1 and target.slept == []


class LaggingSearch:
    def __init__(self, visible_after: int) -> None:
        self.visible_after, self.calls = visible_after, 0

    def search(self, **request):
        self.calls += 1
        return {"Results": [{"Endpoint": {"EndpointName": "e"}}] if self.calls > self.visible_after else []}


def test_search_until_polls_until_the_resource_is_visible_within_the_budget():
    target, client = FakeTarget(), LaggingSearch(visible_after=2)
    answer = consistency.search_until(target, client, {"Resource": "Endpoint"}, lambda r: bool(r["Results"]))
    assert answer["Results"] and client.calls == 3 and target.slept == [2.0, 2.0]

    target, client = FakeTarget(), LaggingSearch(visible_after=99)
    answer = consistency.search_until(target, client, {"Resource": "Endpoint"}, lambda r: bool(r["Results"]))
    assert answer["Results"] == [] and client.calls == 4  # the last answer is returned for the rules to judge
