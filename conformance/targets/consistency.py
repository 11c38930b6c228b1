"""Bounded retries where the SageMaker docs say a result may lag (eventual consistency).

Two documented cases: CreateEndpoint right after CreateEndpointConfig (the new
config may not be visible yet), and Search, whose index trails the resources.
The budget is the target's (``consistency_attempts`` × ``consistency_delay_s``):
one attempt on the immediately consistent embedded targets, a few on networked
ones. Waits go through ``target.sleep``, so they follow the target's clock.

Do not use these where the rule under test *is* the rejection (e.g. CreateEndpoint
naming a config that was never created): they only delay the verdict there.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from botocore.exceptions import ClientError

from conformance.targets.classify import error_code


def eventually(
    target,
    call: Callable[[], Any],
    *,
    retry_if: Callable[[ClientError], bool],
    attempts: Optional[int] = None,
    delay_s: Optional[float] = None,
) -> Any:
    """``call()``, retried while it raises a ClientError that ``retry_if`` accepts, within the budget."""
    budget = max(1, attempts or target.consistency_attempts)
    delay = target.consistency_delay_s if delay_s is None else delay_s
    for attempt in range(1, budget + 1):
        try:
            return call()
        except ClientError as err:
            if attempt == budget or not retry_if(err):
                raise
        target.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def config_not_yet_visible(err: ClientError) -> bool:
    message = str(err.response.get("Error", {}).get("Message", "")).lower()
    return error_code(err) == "ValidationException" and "could not find" in message and "endpoint config" in message


def create_endpoint(target, client, **params) -> dict:
    """CreateEndpoint, retried while the just-created EndpointConfig is not visible yet."""
    return eventually(target, lambda: client.create_endpoint(**params), retry_if=config_not_yet_visible)


def search_until(
    target,
    client,
    request: dict,
    until: Callable[[dict], bool],
    *,
    attempts: Optional[int] = None,
    delay_s: Optional[float] = None,
) -> dict:
    """Search until ``until(response)`` holds or the budget is spent; returns the last response either way."""
    budget = max(1, attempts or target.consistency_attempts)
    delay = target.consistency_delay_s if delay_s is None else delay_s
    response = client.search(**request)
    for _attempt in range(budget - 1):
        if until(response):
            break
        target.sleep(delay)
        response = client.search(**request)
    return response
