"""Shared helpers of the emulator tests (imported by tests/test_emulator_*.py; holds no tests)."""

from __future__ import annotations

import itertools
import os

import pytest
from botocore.config import Config

from conformance.emulator import Emulator, inprocess
from conformance.emulator import timing

ROLE = "arn:aws:iam::123456789012:role/conformance"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/serving:1"
_numbers = itertools.count(1)


def fresh_account() -> str:
    """A 12-digit account id private to one test (moto's CloudWatch state is per process and account)."""
    return f"{os.getpid() % 1_000_000:06d}{next(_numbers):06d}"


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(account_id=fresh_account())


NO_CLIENT_VALIDATION = Config(parameter_validation=False, retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture
def sm(emulator):
    # No client-side validation: invalid requests must reach the emulator, which has to reject them.
    return inprocess.client(emulator.wsgi_app, config=NO_CLIENT_VALIDATION)


@pytest.fixture
def cw(emulator):
    return inprocess.client(emulator.wsgi_app, "cloudwatch")


def error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def status_code(excinfo) -> int:
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def make_model(sm, name: str, image: str = IMAGE, **extra) -> str:
    return sm.create_model(ModelName=name, PrimaryContainer={"Image": image}, ExecutionRoleArn=ROLE,
                           **extra)["ModelArn"]


def make_config(sm, name: str, model: str, count: int = 4, variant: str = "AllTraffic", weight: float = 1.0,
                **extra) -> str:
    variants = [{"VariantName": variant, "ModelName": model, "InstanceType": "ml.m5.large",
                 "InitialInstanceCount": count, "InitialVariantWeight": weight}]
    return sm.create_endpoint_config(EndpointConfigName=name, ProductionVariants=variants, **extra)["EndpointConfigArn"]


def make_endpoint(sm, emulator, name: str, count: int = 4, image: str = IMAGE, wait: bool = True) -> str:
    """Model + config + endpoint named after ``name``; InService (or done) unless ``wait`` is False."""
    make_model(sm, f"{name}-m", image)
    make_config(sm, f"{name}-c", f"{name}-m", count)
    arn = sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-c")["EndpointArn"]
    if wait:
        emulator.clock.advance(timing.CREATE_SECONDS)
    return arn


def second_config(sm, name: str, count: int = 4, image: str = IMAGE, weight: float = 1.0) -> str:
    make_model(sm, f"{name}-m2", image)
    make_config(sm, f"{name}-c2", f"{name}-m2", count, weight=weight)
    return f"{name}-c2"


def describe(sm, name: str) -> dict:
    return sm.describe_endpoint(EndpointName=name)


def variant_statuses(description: dict) -> list:
    """Every (fleet, Status) the description reports, pending fleet first."""
    out = []
    for fleet, variants in (("pending", (description.get("PendingDeploymentSummary") or {}).get("ProductionVariants")),
                            ("current", description.get("ProductionVariants"))):
        for variant in variants or []:
            out.extend((fleet, status["Status"]) for status in variant.get("VariantStatus") or [])
    return out


def observe(sm, emulator, name: str, step: float = 5.0, limit: int = 2000) -> list:
    """Describe every ``step`` simulated seconds until InService/Failed; the distinct observations in order."""
    seen = []
    for _ in range(limit):
        description = describe(sm, name)
        row = (description["EndpointStatus"], description.get("EndpointConfigName"),
               "PendingDeploymentSummary" in description, tuple(variant_statuses(description)))
        if not seen or seen[-1] != row:
            seen.append(row)
        if description["EndpointStatus"] in ("InService", "Failed"):
            return seen
        emulator.clock.advance(step)
    raise AssertionError(f"{name} never settled: {seen[-3:]}")

