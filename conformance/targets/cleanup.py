"""Delete what the suite created on a target, by name prefix, continuing past errors.

Order matters on SageMaker: endpoints before the configs they use, configs before
models. CloudWatch alarms the deployment rules create go last. When sweeping
earlier runs (``require_tag``), a resource is deleted only if it also carries the
suite's run-id tag, so a user's own ``sc-…`` resources are never touched.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from botocore.exceptions import BotoCoreError, ClientError

from conformance.errors import ConformanceError

# (list operation, result key, name key, arn key, delete operation, delete parameter)
_SAGEMAKER_KINDS = (
    ("list_endpoints", "Endpoints", "EndpointName", "EndpointArn", "delete_endpoint", "EndpointName"),
    ("list_endpoint_configs", "EndpointConfigs", "EndpointConfigName", "EndpointConfigArn",
     "delete_endpoint_config", "EndpointConfigName"),
    ("list_models", "Models", "ModelName", "ModelArn", "delete_model", "ModelName"),
)
_ERRORS = (ClientError, BotoCoreError, ConformanceError)


@dataclass
class SweepResult:
    deleted: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)


def delete_leftovers(
    target,
    prefix: str,
    *,
    require_tag: bool,
    older_than_s: Optional[float] = None,
    report: Optional[Callable[[str], None]] = None,
) -> SweepResult:
    from conformance.targets.base import RUN_TAG_KEY

    result = SweepResult()
    say = report or (lambda _line: None)
    cutoff = None
    if older_than_s is not None:
        cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=older_than_s)

    def failed(what: str, err: BaseException) -> None:
        line = f"could not {what}: {' '.join(str(err).split())}"
        result.errors.append(line)
        say(line)

    sagemaker = target.client("sagemaker")
    for list_op, key, name_key, arn_key, delete_op, param in _SAGEMAKER_KINDS:
        try:
            items = _list_all(getattr(sagemaker, list_op), key, prefix)
        except _ERRORS as err:
            failed(f"list {key}", err)
            continue
        for item in items:
            name = item.get(name_key, "")
            if not name.lower().startswith(prefix.lower()) or not _old_enough(item, cutoff):
                continue
            try:
                if require_tag and not _has_run_tag(sagemaker, item.get(arn_key, ""), RUN_TAG_KEY):
                    continue
                getattr(sagemaker, delete_op)(**{param: name})
            except _ERRORS as err:
                failed(f"delete {name}", err)
            else:
                result.deleted.append(name)
                say(f"deleted {name}")
    _delete_alarms(target, prefix, require_tag, RUN_TAG_KEY, result, say, failed)
    return result


def _list_all(list_call, key: str, prefix: str) -> list:
    items, token = [], None
    for _page in range(1000):  # bounded: a target that repeats its NextToken must not hang the sweep
        params = {"NameContains": prefix, "MaxResults": 100}
        if token:
            params["NextToken"] = token
        page = list_call(**params)
        items.extend(page.get(key, []))
        token = page.get("NextToken")
        if not token:
            break
    return items


def _old_enough(item: dict, cutoff) -> bool:
    created = item.get("CreationTime")
    if cutoff is None or not isinstance(created, datetime.datetime):
        return True
    if created.tzinfo is None:
        created = created.replace(tzinfo=datetime.timezone.utc)
    return created <= cutoff


def _has_run_tag(sagemaker, arn: str, key: str) -> bool:
    if not arn:
        return False
    tags = sagemaker.list_tags(ResourceArn=arn, MaxResults=100).get("Tags", [])
    return any(tag.get("Key") == key for tag in tags)


def _delete_alarms(target, prefix: str, require_tag: bool, tag_key: str, result: SweepResult, say, failed) -> None:
    try:
        cloudwatch = target.client("cloudwatch")
        alarms = cloudwatch.describe_alarms(AlarmNamePrefix=prefix).get("MetricAlarms", [])
        if require_tag:
            alarms = [a for a in alarms if any(
                t.get("Key") == tag_key
                for t in cloudwatch.list_tags_for_resource(ResourceARN=a.get("AlarmArn", "")).get("Tags", [])
            )]
    except _ERRORS as err:
        failed("list CloudWatch alarms", err)
        return
    names = [alarm["AlarmName"] for alarm in alarms]
    if not names:
        return
    try:
        cloudwatch.delete_alarms(AlarmNames=names)
    except _ERRORS as err:
        failed(f"delete alarms {', '.join(names)}", err)
    else:
        result.deleted.extend(names)
        for name in names:
            say(f"deleted alarm {name}")
