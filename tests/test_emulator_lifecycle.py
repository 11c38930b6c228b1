"""Endpoint lifecycle on the reference target, in-process: statuses, waiters, failures, names."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, WaiterError

from conformance.emulator import UNDEPLOYABLE_IMAGE_MARKER, timing
from test_emulator_support import (  # noqa: F401 - fixtures
    describe, emulator, error_code, make_config, make_endpoint, make_model, second_config, sm, status_code,
)


def test_endpoint_create_creating_then_in_service(sm, emulator):
    make_endpoint(sm, emulator, "ep", wait=False)
    first = describe(sm, "ep")
    assert first["EndpointStatus"] == "Creating"
    assert first["PendingDeploymentSummary"]["EndpointConfigName"] == "ep-c"
    assert [s["Status"] for s in first["ProductionVariants"][0]["VariantStatus"]] == ["Creating"]
    emulator.clock.advance(timing.CREATE_SECONDS - 1)
    assert describe(sm, "ep")["EndpointStatus"] == "Creating"
    emulator.clock.advance(1)
    done = describe(sm, "ep")
    assert done["EndpointStatus"] == "InService"
    assert "PendingDeploymentSummary" not in done
    assert done["EndpointConfigName"] == "ep-c"
    assert done["ProductionVariants"][0]["CurrentInstanceCount"] == 4
    assert done["LastModifiedTime"] > done["CreationTime"]


def test_endpoint_waiters_with_manual_clock(sm, emulator, monkeypatch):
    monkeypatch.setattr("botocore.waiter.time.sleep", emulator.clock.sleep)  # simulated waiting only
    make_endpoint(sm, emulator, "ep", wait=False)
    start = emulator.clock.now()
    sm.get_waiter("endpoint_in_service").wait(EndpointName="ep")
    assert describe(sm, "ep")["EndpointStatus"] == "InService"
    assert emulator.clock.now() - start >= timing.CREATE_SECONDS
    sm.delete_endpoint(EndpointName="ep")
    assert describe(sm, "ep")["EndpointStatus"] == "Deleting"
    sm.get_waiter("endpoint_deleted").wait(EndpointName="ep")
    with pytest.raises(ClientError) as err:
        describe(sm, "ep")
    assert error_code(err) == "ValidationException"


def test_endpoint_waiter_fails_on_failed_endpoint(sm, emulator, monkeypatch):
    monkeypatch.setattr("botocore.waiter.time.sleep", emulator.clock.sleep)
    make_endpoint(sm, emulator, "bad", image=f"repo/{UNDEPLOYABLE_IMAGE_MARKER}:1", wait=False)
    with pytest.raises(WaiterError):
        sm.get_waiter("endpoint_in_service").wait(EndpointName="bad")
    assert describe(sm, "bad")["EndpointStatus"] == "Failed"


def test_endpoint_create_undeployable_ends_failed_with_reason(sm, emulator):
    make_endpoint(sm, emulator, "bad", image=f"repo/{UNDEPLOYABLE_IMAGE_MARKER}:1")
    failed = describe(sm, "bad")
    assert failed["EndpointStatus"] == "Failed"
    assert UNDEPLOYABLE_IMAGE_MARKER in failed["FailureReason"]


def test_endpoint_failed_only_delete_allowed(sm, emulator):
    make_endpoint(sm, emulator, "bad", image=f"repo/{UNDEPLOYABLE_IMAGE_MARKER}:1")
    other = second_config(sm, "bad")
    with pytest.raises(ClientError) as err:
        sm.update_endpoint(EndpointName="bad", EndpointConfigName=other)
    assert error_code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:
        sm.update_endpoint_weights_and_capacities(
            EndpointName="bad", DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredWeight": 2.0}])
    assert error_code(err) == "ValidationException"
    sm.delete_endpoint(EndpointName="bad")
    assert describe(sm, "bad")["EndpointStatus"] == "Deleting"


def test_endpoint_delete_deleting_then_gone(sm, emulator):
    make_endpoint(sm, emulator, "ep")
    sm.delete_endpoint(EndpointName="ep")
    assert describe(sm, "ep")["EndpointStatus"] == "Deleting"
    sm.delete_endpoint(EndpointName="ep")  # again while Deleting: harmless
    emulator.clock.advance(timing.DELETE_SECONDS)
    with pytest.raises(ClientError) as err:
        describe(sm, "ep")
    assert error_code(err) == "ValidationException"
    assert sm.list_endpoints()["Endpoints"] == []
    # the name is free again
    sm.create_endpoint(EndpointName="ep", EndpointConfigName="ep-c")


def test_endpoint_names_unique_case_insensitively(sm, emulator):
    make_endpoint(sm, emulator, "Ep-One")
    for name in ("Ep-One", "ep-one", "EP-ONE"):
        with pytest.raises(ClientError) as err:
            sm.create_endpoint(EndpointName=name, EndpointConfigName="Ep-One-c")
        assert error_code(err) == "ValidationException"
        assert status_code(err) == 400
    # the case is preserved and must be matched
    assert describe(sm, "Ep-One")["EndpointName"] == "Ep-One"
    with pytest.raises(ClientError):
        describe(sm, "ep-one")


@pytest.mark.parametrize("operation", ["describe_endpoint", "delete_endpoint"])
def test_endpoint_missing_validation_exception(sm, operation):
    with pytest.raises(ClientError) as err:
        getattr(sm, operation)(EndpointName="nowhere")
    assert error_code(err) == "ValidationException"
    assert status_code(err) == 400
    assert "Could not find endpoint" in err.value.response["Error"]["Message"]


def test_endpoint_update_missing_endpoint_and_config(sm, emulator):
    make_endpoint(sm, emulator, "ep")
    with pytest.raises(ClientError) as err:
        sm.update_endpoint(EndpointName="nowhere", EndpointConfigName="ep-c")
    assert error_code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:
        sm.update_endpoint(EndpointName="ep", EndpointConfigName="no-config")
    assert error_code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:
        sm.create_endpoint(EndpointName="other", EndpointConfigName="no-config")
    assert error_code(err) == "ValidationException"


def test_endpoint_update_rejected_unless_in_service(sm, emulator):
    make_endpoint(sm, emulator, "ep", wait=False)
    other = second_config(sm, "ep")
    with pytest.raises(ClientError) as err:  # Creating
        sm.update_endpoint(EndpointName="ep", EndpointConfigName=other)
    assert error_code(err) == "ValidationException"
    emulator.clock.advance(timing.CREATE_SECONDS)
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=other)
    assert describe(sm, "ep")["EndpointStatus"] == "Updating"
    with pytest.raises(ClientError) as err:  # Updating
        sm.update_endpoint(EndpointName="ep", EndpointConfigName="ep-c")
    assert error_code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:
        sm.update_endpoint_weights_and_capacities(
            EndpointName="ep", DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredWeight": 2.0}])
    assert error_code(err) == "ValidationException"


def test_endpoint_weights_updating_then_in_service(sm, emulator):
    make_endpoint(sm, emulator, "ep")
    sm.update_endpoint_weights_and_capacities(
        EndpointName="ep",
        DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredWeight": 3.0, "DesiredInstanceCount": 6}])
    during = describe(sm, "ep")
    assert during["EndpointStatus"] == "Updating"
    variant = during["ProductionVariants"][0]
    assert (variant["DesiredWeight"], variant["DesiredInstanceCount"]) == (3.0, 6)
    assert (variant["CurrentWeight"], variant["CurrentInstanceCount"]) == (1.0, 4)
    assert [s["Status"] for s in variant["VariantStatus"]] == ["Updating"]
    assert "PendingDeploymentSummary" not in during  # no new endpoint configuration
    emulator.clock.advance(timing.WEIGHTS_SECONDS)
    variant = describe(sm, "ep")["ProductionVariants"][0]
    assert (variant["CurrentWeight"], variant["CurrentInstanceCount"]) == (3.0, 6)
    with pytest.raises(ClientError) as err:
        sm.update_endpoint_weights_and_capacities(
            EndpointName="ep", DesiredWeightsAndCapacities=[{"VariantName": "Nope", "DesiredWeight": 1.0}])
    assert error_code(err) == "ValidationException"


def test_model_and_config_lifecycle(sm):
    arn = make_model(sm, "Model-A")
    assert arn.endswith(":model/model-a")
    assert sm.describe_model(ModelName="Model-A")["PrimaryContainer"]["Image"]
    with pytest.raises(ClientError) as err:
        make_model(sm, "model-a")
    assert error_code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:
        make_config(sm, "cfg", "missing-model")
    assert error_code(err) == "ValidationException"
    make_config(sm, "cfg", "Model-A", count=2)
    described = sm.describe_endpoint_config(EndpointConfigName="cfg")
    assert described["ProductionVariants"][0]["InitialInstanceCount"] == 2
    sm.delete_endpoint_config(EndpointConfigName="cfg")
    with pytest.raises(ClientError) as err:
        sm.describe_endpoint_config(EndpointConfigName="cfg")
    assert error_code(err) == "ValidationException"
    sm.delete_model(ModelName="Model-A")
    with pytest.raises(ClientError):
        sm.describe_model(ModelName="Model-A")


def test_delete_endpoint_config_keeps_endpoint(sm, emulator):
    make_endpoint(sm, emulator, "ep")
    sm.delete_endpoint_config(EndpointConfigName="ep-c")
    assert describe(sm, "ep")["EndpointStatus"] == "InService"


def test_list_endpoints_filters_sorts_and_pages(sm, emulator):
    make_model(sm, "m")
    make_config(sm, "c", "m")
    for index in range(5):
        sm.create_endpoint(EndpointName=f"ep-{index}", EndpointConfigName="c")
        emulator.clock.advance(1)
    names = []
    kwargs = {"MaxResults": 2, "SortBy": "Name", "SortOrder": "Ascending"}
    while True:
        page = sm.list_endpoints(**kwargs)
        names += [e["EndpointName"] for e in page["Endpoints"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert names == [f"ep-{i}" for i in range(5)]
    newest = sm.list_endpoints()["Endpoints"]
    assert [e["EndpointName"] for e in newest] == [f"ep-{i}" for i in reversed(range(5))]  # CreationTime, Descending
    assert {e["EndpointStatus"] for e in newest} == {"Creating"}
    assert len(sm.list_endpoints(NameContains="EP-3")["Endpoints"]) == 1
    assert sm.list_endpoints(StatusEquals="InService")["Endpoints"] == []
    with pytest.raises(ClientError) as err:
        sm.list_endpoints(NextToken="garbage")
    assert error_code(err) == "ValidationException"
