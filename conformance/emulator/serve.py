"""``sagemaker-conformance serve``: the reference target on a loopback port.

Prints the URL on one line once it accepts requests, and stops cleanly on SIGINT/SIGTERM.
Without ``--time-scale`` time passes as on AWS (real time); ``--time-scale 0.001`` makes a
120 s creation take 120 ms.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from typing import Optional

from conformance.emulator.faults import FAULTS, listing
from conformance.errors import UsageError


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range 0-65535: {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=_port, default=0, help="port to bind; 0 picks a free port (default)")
    parser.add_argument("--time-scale", type=_positive_float, default=None, metavar="X",
                        help="simulated time runs 1/X times faster (e.g. 0.001); default: real time")
    parser.add_argument("--fault", default=None, metavar="NAME",
                        help="break exactly one documented behaviour (see --list-faults)")
    parser.add_argument("--list-faults", action="store_true", help="list the fault names and exit")
    parser.add_argument("--region", default="us-east-1", help="region of the emulated account (default: us-east-1)")
    parser.add_argument("--account-id", default="123456789012", help="emulated account id (default: 123456789012)")


def make_server(host: str = "127.0.0.1", port: int = 0, time_scale: Optional[float] = None,
                fault: Optional[str] = None, region: str = "us-east-1", account_id: str = "123456789012"):
    """A threaded werkzeug server around a new Emulator (not yet serving). ``server.emulator`` is the emulator."""
    from werkzeug.serving import make_server as werkzeug_server

    from conformance.clock import ScaledClock, SystemClock
    from conformance.emulator.app import Emulator

    if fault is not None and fault not in FAULTS:
        raise UsageError(f"unknown fault {fault!r}; run 'sagemaker-conformance serve --list-faults'")
    # Served, timestamps start at the wall-clock time (a scaled clock then runs faster from there).
    clock = ScaledClock(time_scale, start=time.time()) if time_scale else SystemClock()
    emulator = Emulator(clock=clock, fault=fault,
                        region=region, account_id=account_id)
    try:
        server = werkzeug_server(host, port, emulator.wsgi_app, threaded=True)
    except OSError as err:
        raise UsageError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err
    server.emulator = emulator
    return server


def url_of(server) -> str:
    host = server.server_address[0]
    return f"http://{'[' + host + ']' if ':' in host else host}:{server.server_port}"


def command(args: argparse.Namespace) -> int:
    if args.list_faults:
        print(listing())
        return 0
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log: stdout carries only the URL
    server = make_server(args.host, args.port, args.time_scale, args.fault, args.region, args.account_id)

    def stop(signum, frame):  # shutdown() blocks until serve_forever returns: call it from another thread
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(url_of(server), flush=True)  # the socket is bound and listening: requests queue until served
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("stopped", file=sys.stderr, flush=True)
    return 0
