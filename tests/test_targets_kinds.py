"""Each kind of target, driven through the same Target API: classification, time, names, cleanup."""

from __future__ import annotations


import pytest
from botocore.exceptions import ClientError

from conformance.errors import NotImplementedByTarget
from conformance.recording import Recorder
from conformance.targets import RUN_TAG_KEY, WaitTimeout, classify_error, consistency, make_target
from conformance.targets.calllog import render_boto3
from conformance.targets.cleanup import delete_leftovers

ROLE = "arn:aws:iam::123456789012:role/sagemaker-conformance"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1"


@pytest.fixture(params=["reference", "reference-http", "moto", "moto-server"])
def target(request):
    if request.param == "reference-http":
        built = make_target(request.getfixturevalue("served_reference"), time_scale=0.001)
    else:
        built = make_target(request.param)
    built.recorder = Recorder()
    yield built
    built.close()


def deploy(target, *, image: str = IMAGE):
    """Model → EndpointConfig → Endpoint, all with the run's names and tag; returns the names."""
    client = target.client()
    model, config, endpoint = (target.resource_name(kind) for kind in ("model", "epc", "ep"))
    client.create_model(ModelName=model, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": image},
                        Tags=target.run_tags())
    client.create_endpoint_config(
        EndpointConfigName=config, Tags=target.run_tags(),
        ProductionVariants=[{"VariantName": "v1", "ModelName": model, "InstanceType": "ml.m5.large",
                             "InitialInstanceCount": 1}])
    consistency.create_endpoint(target, client, EndpointName=endpoint, EndpointConfigName=config,
                                Tags=target.run_tags())
    return model, config, endpoint


def test_every_target_reaches_in_service_on_its_clock(target):
    client = target.client()
    _, _, endpoint = deploy(target)
    seen = []
    final = target.wait_for(lambda: client.describe_endpoint(EndpointName=endpoint),
                            lambda answer: answer["EndpointStatus"] != "Creating", timeout_s=3600,
                            on_poll=lambda answer: seen.append(answer["EndpointStatus"]))
    assert final["EndpointStatus"] == "InService"
    assert set(seen) <= {"Creating", "InService"}
    assert endpoint.startswith(target.name_prefix)
    operations = {o.name: o.status_codes for o in target.recorder.operation_results()}
    assert operations["CreateEndpoint"] == {"200": 1}
    assert operations["DescribeEndpoint"]["200"] == len(seen)


def test_reference_creation_takes_simulated_time_without_wall_clock_sleeps():
    with make_target("reference") as target:
        client = target.client()
        _, _, endpoint = deploy(target)
        before = target.clock.now()
        target.wait_for(lambda: client.describe_endpoint(EndpointName=endpoint),
                        lambda answer: answer["EndpointStatus"] == "InService", timeout_s=3600, delay_s=10)
        assert target.clock.now() - before >= 10  # Creating lasted; the driven clock moved, not the wall
        with pytest.raises(WaitTimeout) as caught:
            target.wait_for(lambda: client.describe_endpoint(EndpointName=endpoint),
                            lambda answer: answer["EndpointStatus"] == "Deleting", timeout_s=60, delay_s=30)
        assert caught.value.last["EndpointStatus"] == "InService"
        assert caught.value.waited_s == 60


@pytest.mark.parametrize("kind", ["moto", "moto-server"])
def test_moto_update_endpoint_is_classified_not_implemented(kind):
    with make_target(kind) as target:
        target.recorder = Recorder()
        _, config, endpoint = deploy(target)
        with pytest.raises(NotImplementedByTarget) as caught:
            target.client().update_endpoint(EndpointName=endpoint, EndpointConfigName=config)
        assert caught.value.operation == "UpdateEndpoint"
        assert "not been implemented" in caught.value.detail
        # the raw client keeps botocore's / moto's own exception for callers that classify themselves
        with pytest.raises(Exception) as raw:
            target.raw_client().update_endpoint(EndpointName=endpoint, EndpointConfigName=config)
        assert isinstance(classify_error(raw.value, "UpdateEndpoint"), NotImplementedByTarget)


@pytest.mark.parametrize("kind, accepted", [("moto", True), ("moto-server", True), ("reference", False)])
def test_duplicate_endpoint_names_are_rejected_only_by_the_reference_target(kind, accepted):
    with make_target(kind) as target:
        client = target.client()
        _, config, endpoint = deploy(target)
        try:
            client.create_endpoint(EndpointName=endpoint.upper(), EndpointConfigName=config)
        except ClientError as err:
            assert not accepted
            assert err.response["Error"]["Code"] == "ValidationException"
            assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        else:
            assert accepted, f"{kind} accepted a second endpoint named {endpoint.upper()}"


def test_reference_answers_unsupported_operations_as_not_implemented():
    with make_target("reference") as target:
        with pytest.raises(NotImplementedByTarget, match="CreateTrainingJob"):
            target.client().create_training_job(TrainingJobName="x")


def test_cloudwatch_clients_reach_the_same_target(target):
    alarm = target.resource_name("alarm")
    cloudwatch = target.client("cloudwatch")
    cloudwatch.put_metric_alarm(AlarmName=alarm, MetricName="Invocation5XXErrors", Namespace="AWS/SageMaker",
                                Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1.0,
                                ComparisonOperator="GreaterThanThreshold")
    cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="test")
    alarms = cloudwatch.describe_alarms(AlarmNames=[alarm])["MetricAlarms"]
    assert [(a["AlarmName"], a["StateValue"]) for a in alarms] == [(alarm, "ALARM")]


def test_close_deletes_what_the_run_created_on_a_url_target(served_reference):
    target = make_target(served_reference, time_scale=0.001)
    model, config, endpoint = deploy(target)
    prefix = target.name_prefix
    target.close()
    with make_target(served_reference, time_scale=0.001) as observer:
        client = observer.client()
        assert client.list_models(NameContains=prefix)["Models"] == []
        assert client.list_endpoint_configs(NameContains=prefix)["EndpointConfigs"] == []
        endpoints = client.list_endpoints(NameContains=prefix)["Endpoints"]
        assert all(e["EndpointStatus"] == "Deleting" for e in endpoints)


def test_sweep_deletes_tagged_leftovers_only(served_reference):
    with make_target(served_reference, time_scale=0.001) as target:
        client = target.client()
        tagged = target.resource_name("model")
        untagged = target.resource_name("model")
        client.create_model(ModelName=tagged, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE},
                            Tags=target.run_tags())
        client.create_model(ModelName=untagged, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE})
        result = delete_leftovers(target, target.name_prefix, require_tag=True)
        assert tagged in result.deleted and untagged not in result.deleted
        remaining = [m["ModelName"] for m in client.list_models(NameContains=target.name_prefix)["Models"]]
        assert remaining == [untagged]
        assert target.run_tags() == [{"Key": RUN_TAG_KEY, "Value": target.run_id}]
        client.delete_model(ModelName=untagged)


def test_reproduction_replays_against_a_served_reference_target(served_reference):
    with make_target("reference") as target:
        client = target.client()
        mark = target.call_log.mark()
        model = target.resource_name("model")
        client.create_model(ModelName=model, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE})
        with pytest.raises(ClientError):
            client.create_model(ModelName=model, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE})
        script = render_boto3(target.call_log.since(mark), endpoint_url=served_reference)
    assert "try: sagemaker.create_model(" in script
    printed = []
    exec(compile(script, "<reproduction>", "exec"), {"print": printed.append})  # noqa: S102 - our own script
    assert len(printed) == 1 and "ValidationException" in str(printed[0])


def test_an_in_process_crash_is_a_target_error_not_a_verdict():
    from conformance.errors import TargetError

    with make_target("moto") as target:
        arn = "arn:aws:sagemaker:us-east-1:123456789012:model/never-created"
        with pytest.raises(TargetError, match=r"ListTags: the target crashed \(AttributeError"):
            target.client().list_tags(ResourceArn=arn)  # moto 5.2 dereferences the missing model
        with pytest.raises(AttributeError):
            target.raw_client().list_tags(ResourceArn=arn)
