"""AddTags, DeleteTags, ListTags on models, endpoint configs and endpoints.

Limits, the reserved ``aws:`` prefix and unique keys are checked before this runs
(``validation``); here: overwrite-by-key, harmless deletes, complete pagination.
"""

from __future__ import annotations

from conformance.emulator import listing, protocol
from conformance.emulator.handlers import Context

LIST_TAGS_DEFAULT_MAX = 50  # ListTags MaxResults has a model minimum of 50


def _tags_of(ctx: Context, arn: str) -> list:
    if ctx.store.by_arn(arn) is None:
        raise protocol.validation_error(f"Resource {arn} does not exist or is not taggable.")
    return ctx.store.tags.setdefault(arn, [])


def add_tags(ctx: Context, payload: dict) -> dict:
    tags = _tags_of(ctx, payload["ResourceArn"])
    for tag in payload["Tags"]:
        new = {"Key": tag["Key"], "Value": tag.get("Value", "")}
        index = next((i for i, old in enumerate(tags) if old["Key"] == new["Key"]), None)
        if index is None or ctx.store.faults.active("tags-duplicate-on-overwrite"):
            tags.append(new)
        else:
            tags[index] = new
    return {"Tags": [dict(tag) for tag in payload["Tags"]]}


def delete_tags(ctx: Context, payload: dict) -> dict:
    tags = _tags_of(ctx, payload["ResourceArn"])
    doomed = set(payload["TagKeys"])
    if ctx.store.faults.active("delete-absent-tag-error") and doomed - {tag["Key"] for tag in tags}:
        raise protocol.validation_error("One or more tag keys do not exist on the resource.")
    tags[:] = [tag for tag in tags if tag["Key"] not in doomed]
    return {}


def list_tags(ctx: Context, payload: dict) -> dict:
    tags = [dict(tag) for tag in _tags_of(ctx, payload["ResourceArn"])]
    chunk, token = listing.page(tags, payload, "ListTags:" + payload["ResourceArn"], LIST_TAGS_DEFAULT_MAX)
    return {"Tags": chunk, "NextToken": token}


OPERATIONS = {"AddTags": add_tags, "DeleteTags": delete_tags, "ListTags": list_tags}
