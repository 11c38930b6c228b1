"""Option values shared by the CLI commands and the pytest plugin: one parser each.

Each raises ValueError with the reason; the CLI turns it into an argparse error, the plugin into
a pytest.UsageError, so both say the same thing.
"""

from __future__ import annotations


def _integer_from(text: str, lowest: int, expected: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = lowest - 1
    if value < lowest:
        raise ValueError(f"expected {expected}, not {text!r}")
    return value


def positive_int(text: str) -> int:
    return _integer_from(text, 1, "a positive integer")


def non_negative_int(text: str) -> int:
    return _integer_from(text, 0, "a non-negative integer")


seed = non_negative_int


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise ValueError(f"expected a positive number, not {text!r}")
    return value


def workers(text: str) -> str:
    if text == "auto" or (text.isdigit() and int(text) >= 0):
        return text
    raise ValueError(f"expected a number of worker processes or 'auto', not {text!r}")


# Help for the options that ``sagemaker-conformance run`` passes through to the pytest plugin.
CONCURRENCY_HELP = ("examples run at once against a real-time target (URL, AWS), so that endpoint lifecycles "
                    "wait together (default: all of a machine's for a URL, up to 32; 1 for AWS)")
SHRINK_REPLAYS_HELP = ("replays a failure may use to shrink to a smaller example; 0 reports it as found "
                       "(default 40; fewer make a run against a failing target faster)")
OPERATIONS_HELP = "wide fuzzing: comma-separated operation names or globs (e.g. 'Describe*,CreateModel')"
FUZZ_MUTATING_HELP = "wide fuzzing against AWS: also fuzz operations that create or change resources"
