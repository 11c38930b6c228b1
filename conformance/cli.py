"""``sagemaker-conformance``: thin commands over the same engine the pytest plugin drives.

Each command lives in the module that owns its concern and provides
``add_arguments(parser)`` and ``command(args) -> int``; only the chosen
command's module is imported, so ``--help`` and small commands stay fast.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from typing import List, Optional

from conformance import __version__
from conformance.errors import ConformanceError

PROG = "sagemaker-conformance"

# name -> (module, one-line help)
COMMANDS = {
    "run": ("conformance.runner", "run the conformance suite against a target and write reports"),
    "certify": ("conformance.reports.certify", "run the full catalogue at a fixed seed and certify a target"),
    "compare": ("conformance.reports.compare", "compare two report.json files; exit 1 on a regression"),
    "rules": ("conformance.rules.listing", "list the rules catalogue"),
    "shapes": ("conformance.shapes", "regenerate shapes/ from the installed botocore, or --check it"),
    "serve": ("conformance.emulator.serve", "serve the reference target (SageMaker emulator) on loopback"),
    "sweep": ("conformance.targets.sweep", "delete resources left behind by earlier runs on a target"),
}


class OneLineErrorParser(argparse.ArgumentParser):
    """argparse, but a usage error is a single line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser(selected: Optional[str]) -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog=PROG,
        description="Property-based conformance suite for SageMaker-compatible APIs.",
        epilog=f"Run '{PROG} COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineErrorParser)
    for name, (module_name, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(
            name, help=help_text, description=help_text, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        if name == selected:
            importlib.import_module(module_name).add_arguments(sub)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    selected = next((arg for arg in argv if not arg.startswith("-")), None)
    parser = build_parser(selected if selected in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.command(args) or 0)
    except ConformanceError as err:
        print(f"{PROG} {args.command}: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130


def console_main() -> None:
    """The program's entry (the console script and ``python -m conformance``): ``main``, then exit."""
    code = main()
    # The process ends here. The interpreter's final garbage collection would walk every object the
    # run left (0.42 s after a default run); frozen objects are skipped (0.03 s). The run's files are
    # closed by now, and the rest is freed by reference counting or the operating system.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    console_main()
