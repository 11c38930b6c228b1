"""List*/Search pagination and the common List* filters (NameContains, time ranges, sorting)."""

from __future__ import annotations

import base64
import binascii
from typing import Callable, List, Optional, Tuple

from conformance.emulator import protocol

DEFAULT_MAX_RESULTS = 10


def encode_token(offset: int, scope: str) -> str:
    return base64.urlsafe_b64encode(f"{scope}:{offset}".encode()).decode()


def decode_token(token: Optional[str], scope: str) -> int:
    if not token:
        return 0
    try:
        found_scope, offset = base64.urlsafe_b64decode(token.encode()).decode().rsplit(":", 1)
        if found_scope != scope or int(offset) < 0:
            raise ValueError(token)
        return int(offset)
    except (ValueError, binascii.Error, UnicodeDecodeError) as err:
        raise protocol.validation_error(f"Invalid pagination token {token!r}.") from err


def page(items: list, payload: dict, scope: str, default_max: int = DEFAULT_MAX_RESULTS,
         overlap: int = 0) -> Tuple[list, Optional[str]]:
    """One page of ``items`` and the token of the next one (None on the last page).

    ``overlap`` (fault injection only) makes the next page start ``overlap`` items early.
    """
    start = decode_token(payload.get("NextToken"), scope)
    size = int(payload.get("MaxResults") or default_max)
    chunk = items[start:start + size]
    following = start + size
    return chunk, (encode_token(max(start + 1, following - overlap), scope) if following < len(items) else None)


def epoch(value, member: str) -> float:
    """A request timestamp (epoch number, as botocore sends, or ISO 8601) in epoch seconds."""
    from conformance.search_eval import parse_timestamp

    seconds = parse_timestamp(value)
    if seconds is None:
        raise protocol.validation_error(f"Value '{value}' at '{member}' is not a valid timestamp.")
    return seconds


def filter_and_sort(items: List[dict], payload: dict, name_key: str, status_key: Optional[str] = None,
                    key_of: Callable[[dict], object] = None) -> List[dict]:
    """The filters and sort of ListModels / ListEndpointConfigs / ListEndpoints."""
    contains = (payload.get("NameContains") or "").lower()
    out = [item for item in items if contains in item[name_key].lower()]
    for field, before, after in (("CreationTime", "CreationTimeBefore", "CreationTimeAfter"),
                                 ("LastModifiedTime", "LastModifiedTimeBefore", "LastModifiedTimeAfter")):
        if payload.get(before) is not None:
            limit = epoch(payload[before], before)
            out = [item for item in out if item[field] < limit]
        if payload.get(after) is not None:
            limit = epoch(payload[after], after)
            out = [item for item in out if item[field] > limit]
    if status_key and payload.get("StatusEquals"):
        out = [item for item in out if item[status_key] == payload["StatusEquals"]]
    sort_by = payload.get("SortBy") or "CreationTime"
    field = {"Name": name_key, "Status": status_key}.get(sort_by) or sort_by
    descending = (payload.get("SortOrder") or "Descending") == "Descending"
    return sorted(out, key=lambda item: (item[field], item[name_key]), reverse=descending)
