"""Slow targets: deployment rules against the reference target served on a scaled real-time clock.

The reference target is served over HTTP (as ``sagemaker-conformance serve --time-scale S`` does,
in a thread of this script so it can time every endpoint's chain of requests), so a documented
canary + baking deployment takes a known wall time T. Measured in one invocation:
1. the baseline chain: one endpoint created, then updated with a CANARY blue/green
   DeploymentConfig (bake ``--wait`` s, termination wait ``--termination-wait`` s), polled to
   InService with plain boto3 — its wall time is T (beside the time the emulator's documented
   durations predict);
2. the deployment rules (``pytest --pyargs conformance.suite -m deployments``) against the same
   server with ``--time-scale S``.
3. the longest single chain the rules drove: the longest endpoint (CreateEndpoint to the last
   request naming it, observed at the server) or the longest example, whichever is longer. An
   example's lifecycles depend on each other (one endpoint deleted, another created), so it is one
   chain; ``example_spans.py`` times each from the machine's start to its teardown's end.
Independent lifecycles must run concurrently, not one after another: target W ≤ 1.2 × the longest
single chain (the larger of T and the rules' own longest).

    python benchmarks/slow_target.py [--time-scale 0.05] [--wait 60] [--max-examples N] [-- PYTEST_ARGS]
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from typing import Dict, List, Tuple

TARGET_RATIO = 1.2
POLL_S = 0.02  # wall seconds between DescribeEndpoint polls of the baseline chain


class EndpointChains:
    """WSGI middleware: wall time from each endpoint's CreateEndpoint to the last request naming it."""

    def __init__(self, app) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.created: Dict[str, float] = {}
        self.last: Dict[str, float] = {}
        self.requests: list = []  # wall times of every request

    def __call__(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        with self.lock:
            self.requests.append(time.perf_counter())
        try:
            name = json.loads(body or b"{}").get("EndpointName")
        except (ValueError, AttributeError):
            name = None
        if isinstance(name, str):
            now = time.perf_counter()
            with self.lock:
                if target == "SageMaker.CreateEndpoint":
                    self.created.setdefault(name, now)
                self.last[name] = now
        return self.app(environ, start_response)

    def span(self, since: float) -> float:
        """Wall time from the first to the last request received after ``since``."""
        with self.lock:
            times = [moment for moment in self.requests if moment >= since]
        return times[-1] - times[0] if times else 0.0

    def longest(self, since: float) -> Tuple[float, str]:
        with self.lock:
            spans = [(self.last[name] - start, name) for name, start in self.created.items() if start >= since]
        return max(spans, default=(0.0, ""))


@contextmanager
def served_reference(time_scale: float):
    """The reference target on a free loopback port, in a thread of this process, with chain timing."""
    from conformance.emulator.serve import make_server, url_of

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, time_scale=time_scale)
    chains = server.app = EndpointChains(server.app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield url_of(server), chains
    finally:
        server.shutdown()
        server.server_close()


def client_for(url: str):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "sagemaker", region_name="us-east-1", endpoint_url=url, aws_access_key_id="testing",
        aws_secret_access_key="testing", config=Config(retries={"total_max_attempts": 1}),
    )


def wait_in_service(client, name: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        status = client.describe_endpoint(EndpointName=name)["EndpointStatus"]
        if status == "InService":
            return
        if status == "Failed" or time.monotonic() > deadline:
            raise SystemExit(f"baseline endpoint {name} ended {status}")
        time.sleep(POLL_S)


def baseline_chain(url: str, wait_s: int, termination_wait_s: int, timeout_s: float) -> float:
    """Wall seconds of create → InService → canary update → InService, the way a user would poll."""
    client = client_for(url)
    name = f"bench-{uuid.uuid4().hex[:8]}"
    role = "arn:aws:iam::123456789012:role/bench"
    client.create_model(ModelName=name, ExecutionRoleArn=role, PrimaryContainer={"Image": "bench-image"})
    variant = {"VariantName": "v1", "ModelName": name, "InitialInstanceCount": 2, "InstanceType": "ml.m5.large"}
    client.create_endpoint_config(EndpointConfigName=f"{name}-a", ProductionVariants=[variant])
    client.create_endpoint_config(EndpointConfigName=f"{name}-b", ProductionVariants=[dict(variant)])
    deployment = {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {
                "Type": "CANARY",
                "WaitIntervalInSeconds": wait_s,
                "CanarySize": {"Type": "INSTANCE_COUNT", "Value": 1},
            },
            "TerminationWaitInSeconds": termination_wait_s,
            "MaximumExecutionTimeoutInSeconds": max(600, 2 * (wait_s + termination_wait_s) + 60),
        }
    }
    started = time.perf_counter()
    client.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-a")
    wait_in_service(client, name, timeout_s)
    client.update_endpoint(EndpointName=name, EndpointConfigName=f"{name}-b", DeploymentConfig=deployment)
    wait_in_service(client, name, timeout_s)
    elapsed = time.perf_counter() - started
    client.delete_endpoint(EndpointName=name)
    return elapsed


def predicted_chain_s(wait_s: int, termination_wait_s: int) -> float:
    """Simulated seconds the emulator documents for the same chain (conformance.emulator.timing)."""
    from conformance.emulator import timing

    canary_steps = 2  # the canary, then the rest of the fleet
    return (timing.CREATE_SECONDS + timing.PROVISION_SECONDS + canary_steps * (timing.SHIFT_SECONDS + wait_s)
            + termination_wait_s + timing.TERMINATE_SECONDS)


def run_rules(url: str, time_scale: float, extra) -> Tuple[float, List[float]]:
    """The pytest process's wall time, and each endpoint-machine example's (see example_spans.py)."""
    from example_spans import SPANS_FILE

    command = [sys.executable, "-m", "pytest", "--pyargs", "conformance.suite", f"--target={url}",
               f"--time-scale={time_scale}", "-m", "deployments", "-q", "-p", "no:cacheprovider",
               "-p", "example_spans", *extra]
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as folder:
        spans_file = os.path.join(folder, "spans.json")
        env = dict(os.environ, **{SPANS_FILE: spans_file},
                   PYTHONPATH=os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")])))
        started = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        elapsed = time.perf_counter() - started
        examples = [end - start for start, end in _read_spans(spans_file)]
    lines = done.stdout.strip().splitlines()
    if done.returncode not in (0, 1):
        raise SystemExit(f"the deployment rules did not run (pytest exit {done.returncode}): " + " | ".join(lines[-5:]))
    print(f"  pytest -m deployments: {lines[-1] if lines else ''}")
    return elapsed, examples


def _read_spans(path: str) -> list:
    try:
        with open(path) as source:
            return json.load(source)
    except (OSError, ValueError):
        return []


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-scale", type=float, default=0.05, help="wall seconds per simulated second")
    parser.add_argument("--wait", type=int, default=60, help="canary WaitIntervalInSeconds (simulated)")
    parser.add_argument("--termination-wait", type=int, default=60, help="TerminationWaitInSeconds (simulated)")
    parser.add_argument("--max-examples", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    extra = [f"--seed={args.seed}", *args.pytest_args]
    if args.max_examples is not None:
        extra.append(f"--max-examples={args.max_examples}")
    predicted = predicted_chain_s(args.wait, args.termination_wait) * args.time_scale
    print(f"# slow-target benchmark, time scale {args.time_scale}, load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs")
    with served_reference(args.time_scale) as (url, chains):
        chain = baseline_chain(url, args.wait, args.termination_wait, timeout_s=20 * predicted + 30)
        print(f"  baseline chain T (create + canary/baking update): {chain:.2f} s "
              f"(documented durations: {predicted:.2f} s)")
        rules_started = time.perf_counter()
        process, examples = run_rules(url, args.time_scale, extra)
        longest, name = chains.longest(since=rules_started)
        rules = chains.span(since=rules_started)
    print(f"  deployment rules at the target (first to last request): {rules:.2f} s "
          f"(the pytest process, start-up included: {process:.2f} s)")
    print(f"  longest single endpoint chain of the rules: {longest:.2f} s ({name or 'no endpoint created'})")
    longest_example = max(examples, default=0.0)
    print(f"  longest example (machine start to teardown end, one dependent chain): {longest_example:.2f} s "
          f"of {len(examples)} examples")
    print(f"deployment rules / baseline chain T: {rules:.2f} s / {chain:.2f} s = {rules / chain:.2f}x")
    longest = max(longest, longest_example, chain)
    ratio = rules / longest
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"deployment rules / longest single chain: {rules:.2f} s / {longest:.2f} s = {ratio:.2f}x "
          f"({verdict} the {TARGET_RATIO}x target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
