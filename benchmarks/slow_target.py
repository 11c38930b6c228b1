"""Slow targets: deployment rules against the reference target served on a scaled real-time clock.

The reference target is served over HTTP (``sagemaker-conformance serve --time-scale S``), so a
documented canary + baking deployment takes a known wall time T. Measured in one invocation:
1. the baseline chain: one endpoint created, then updated with a CANARY blue/green
   DeploymentConfig (bake ``--wait`` s, termination wait ``--termination-wait`` s), polled to
   InService with plain boto3 — its wall time is T (beside the time the emulator's documented
   durations predict);
2. the deployment rules (``pytest --pyargs conformance.suite -m deployments``) against the same
   server with ``--time-scale S``.
Independent lifecycles must run concurrently, not one after another: target W ≤ 1.2 × T.

    python benchmarks/slow_target.py [--time-scale 0.05] [--wait 60] [--max-examples N] [-- PYTEST_ARGS]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

TARGET_RATIO = 1.2
POLL_S = 0.02  # wall seconds between DescribeEndpoint polls of the baseline chain


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served_reference(time_scale: float):
    port = free_port()
    command = [sys.executable, "-m", "conformance", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--time-scale", str(time_scale)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                raise SystemExit(f"the reference server did not start: {server.stderr.read().strip()[-300:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the reference server did not listen within 30 s") from None
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


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
    client.create_endpoint_config(EndpointConfigName=f"{name}-b", ProductionVariants=[{**variant, "InitialInstanceCount": 2}])
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


def run_rules(url: str, time_scale: float, extra) -> float:
    command = [sys.executable, "-m", "pytest", "--pyargs", "conformance.suite", f"--target={url}",
               f"--time-scale={time_scale}", "-m", "deployments", "-q", "-p", "no:cacheprovider", *extra]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    if done.returncode not in (0, 1):
        raise SystemExit(f"the deployment rules did not run (pytest exit {done.returncode}): " + " | ".join(lines[-5:]))
    print(f"  deployment rules: {elapsed:.2f} s  {lines[-1] if lines else ''}")
    return elapsed


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
    with served_reference(args.time_scale) as url:
        chain = baseline_chain(url, args.wait, args.termination_wait, timeout_s=20 * predicted + 30)
        print(f"  baseline chain (create + canary/baking update): {chain:.2f} s (documented durations: {predicted:.2f} s)")
        rules = run_rules(url, args.time_scale, extra)
    ratio = rules / chain
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"deployment rules / longest single chain: {rules:.2f} s / {chain:.2f} s = {ratio:.2f}x "
          f"({verdict} the {TARGET_RATIO}x target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
