"""The wire: awsJson1.1 details, malformed requests, not-implemented operations, CloudWatch via
moto (json and CBOR), the serve command, and concurrency over real HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError
from botocore.parsers import RpcV2CBORParser
from botocore.serialize import RpcV2CBORSerializer
from werkzeug.test import Client

from conformance.emulator import Emulator, protocol, timing
from conformance.emulator.faults import FAULTS
from conformance.emulator.serve import make_server, url_of
from conformance.errors import UsageError
from test_emulator_support import ROLE, emulator, error_code, fresh_account, make_endpoint  # noqa: F401

TARGET = "X-Amz-Target"
JSON = {"Content-Type": protocol.CONTENT_TYPE}


def post(app, target, body, headers=None):
    answer = Client(app).post("/", data=body, headers={**JSON, **({TARGET: target} if target else {}),
                                                         **(headers or {})})
    return answer.status_code, json.loads(answer.get_data() or b"{}")


@pytest.mark.parametrize("target, body, status, code", [
    ("SageMaker.ListModels", b"{not json", 400, "SerializationException"),
    ("SageMaker.ListModels", b"[1, 2]", 400, "SerializationException"),
    ("SageMaker.ListModels", b"\xff\xfe", 400, "SerializationException"),
    ("SageMaker.NoSuchOperation", b"{}", 400, "UnknownOperationException"),
    ("Other.ListModels", b"{}", 400, "UnknownOperationException"),
    (None, b"{}", 400, "UnknownOperationException"),
    ("SageMaker.CreateTrainingJob", b"{}", 400, "NotImplementedException"),
    ("SageMaker.DescribeEndpoint", b'{"EndpointName": 5}', 400, "ValidationException"),
    ("SageMaker.DescribeEndpoint", b"{}", 400, "ValidationException"),
    ("SageMaker.CreateModel", b'{"ModelName": "m", "Bogus": 1}', 400, "ValidationException"),
])
def test_malformed_requests_answer_4xx(emulator, target, body, status, code):
    assert post(emulator.wsgi_app, target, body)[0] == status
    assert post(emulator.wsgi_app, target, body)[1]["__type"] == code
    assert post(emulator.wsgi_app, "SageMaker.ListModels", b"{}")[0] == 200  # still serving


def test_not_implemented_error_shape(emulator):
    status, body = post(emulator.wsgi_app, "SageMaker.CreateTrainingJob", b"{}")
    assert status == 400
    assert body == {"__type": "NotImplementedException",
                    "message": "SageMaker.CreateTrainingJob is not implemented by the sagemaker-conformance "
                               "reference target"}


def test_oversized_body_413(emulator):
    big = b'{"ModelName": "' + b"x" * (protocol.MAX_BODY_BYTES + 10) + b'"}'
    status, body = post(emulator.wsgi_app, "SageMaker.DescribeModel", big)
    assert (status, body["__type"]) == (413, "RequestEntityTooLarge")


def test_wrong_method_and_path(emulator):
    answer = Client(emulator.wsgi_app).get("/", headers={TARGET: "SageMaker.ListModels"})
    assert answer.status_code == 400
    answer = Client(emulator.wsgi_app).post("/other", data=b"{}", headers={**JSON, TARGET: "SageMaker.ListModels"})
    assert answer.status_code == 400


def test_response_rendered_from_output_shape(emulator):
    post(emulator.wsgi_app, "SageMaker.CreateModel", json.dumps(
        {"ModelName": "m", "PrimaryContainer": {"Image": "img"}, "ExecutionRoleArn": ROLE}).encode())
    status, body = post(emulator.wsgi_app, "SageMaker.DescribeModel", b'{"ModelName": "m"}')
    assert status == 200
    output_members = set(botocore.session.get_session().get_service_model("sagemaker")
                         .operation_model("DescribeModel").output_shape.members)
    assert set(body) <= output_members
    assert isinstance(body["CreationTime"], (int, float))  # epoch seconds, as AWS sends


def test_unknown_fault_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown fault"):
        Emulator(fault="no-such-fault")
    assert len(FAULTS) >= 15
    assert all(isinstance(text, str) and "\n" not in text for text in FAULTS.values())


# ------------------------------------------------------------------ CloudWatch

def _cbor_call(app, operation_name, params):
    operation = botocore.session.get_session().get_service_model("cloudwatch").operation_model(operation_name)
    request = RpcV2CBORSerializer().serialize_to_request(params, operation)
    auth = "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0"
    answer = Client(app).post(request["url_path"], data=request["body"], headers={**request["headers"], "Authorization": auth})
    parsed = RpcV2CBORParser().parse({"body": answer.get_data(), "headers": dict(answer.headers),
                                      "status_code": answer.status_code}, operation.output_shape)
    return answer.status_code, parsed


ALARM = dict(MetricName="Invocation5XXErrors", Namespace="AWS/SageMaker", Statistic="Sum", Period=60,
             EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")


def test_cloudwatch_cbor_protocol_bridged_to_moto(emulator):
    assert _cbor_call(emulator.wsgi_app, "PutMetricAlarm", {"AlarmName": "a", **ALARM})[0] == 200
    assert _cbor_call(emulator.wsgi_app, "SetAlarmState",
                      {"AlarmName": "a", "StateValue": "ALARM", "StateReason": "r"})[0] == 200
    status, described = _cbor_call(emulator.wsgi_app, "DescribeAlarms", {"AlarmNames": ["a"]})
    assert status == 200 and described["MetricAlarms"][0]["StateValue"] == "ALARM"
    status, failed = _cbor_call(emulator.wsgi_app, "SetAlarmState",
                                {"AlarmName": "missing", "StateValue": "ALARM", "StateReason": "r"})
    assert 400 <= status < 500 and failed["Error"]["Code"] == "ResourceNotFound"
    assert emulator.cloudwatch.in_alarm(["a", "missing"]) == {"a"}


# ----------------------------------------------------------- HTTP and serving

@pytest.fixture
def served():
    server = make_server(time_scale=0.001, account_id=fresh_account())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _clients(server, service="sagemaker"):
    return boto3.session.Session().client(
        service, endpoint_url=url_of(server), region_name="us-east-1", aws_access_key_id="testing",
        aws_secret_access_key="testing")


def test_http_boto3_waiters_and_cloudwatch(served):
    sm, cw = _clients(served), _clients(served, "cloudwatch")
    assert url_of(served).startswith("http://127.0.0.1:")
    sm.create_model(ModelName="m", PrimaryContainer={"Image": "img"}, ExecutionRoleArn=ROLE)
    sm.create_endpoint_config(EndpointConfigName="c", ProductionVariants=[
        {"VariantName": "v", "ModelName": "m", "InstanceType": "ml.m5.large", "InitialInstanceCount": 2}])
    sm.create_endpoint(EndpointName="e", EndpointConfigName="c")
    sm.get_waiter("endpoint_in_service").wait(EndpointName="e", WaiterConfig={"Delay": 0.02, "MaxAttempts": 200})
    sm.delete_endpoint(EndpointName="e")
    sm.get_waiter("endpoint_deleted").wait(EndpointName="e", WaiterConfig={"Delay": 0.02, "MaxAttempts": 200})
    cw.put_metric_alarm(AlarmName="http-alarm", **ALARM)
    cw.set_alarm_state(AlarmName="http-alarm", StateValue="ALARM", StateReason="test")
    assert cw.describe_alarms(AlarmNames=["http-alarm"])["MetricAlarms"][0]["StateValue"] == "ALARM"


def test_http_concurrent_clients_keep_their_state(served):
    workers, errors = 8, []

    def work(index):
        try:
            sm = _clients(served)
            arn = sm.create_model(ModelName=f"m-{index}", PrimaryContainer={"Image": f"img:{index}"},
                                  ExecutionRoleArn=ROLE, Tags=[{"Key": "owner", "Value": str(index)}])["ModelArn"]
            sm.create_endpoint_config(EndpointConfigName=f"c-{index}", ProductionVariants=[
                {"VariantName": "v", "ModelName": f"m-{index}", "InstanceType": "ml.m5.large",
                 "InitialInstanceCount": index + 1}])
            sm.create_endpoint(EndpointName=f"e-{index}", EndpointConfigName=f"c-{index}")
            for key in range(10):
                sm.add_tags(ResourceArn=arn, Tags=[{"Key": f"k{key}", "Value": str(index)}])
                if key < 6:  # 8 workers x 6 keys stays within the 50-tag limit
                    sm.add_tags(ResourceArn=served.emulator.store.arn("model", "shared"),
                                Tags=[{"Key": f"w{index}-{key}", "Value": "x"}])
        except Exception as err:  # noqa: BLE001 - collected and reported by the main thread
            errors.append(err)

    _clients(served).create_model(ModelName="shared", PrimaryContainer={"Image": "img"}, ExecutionRoleArn=ROLE)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    sm = _clients(served)
    for index in range(workers):
        model = sm.describe_model(ModelName=f"m-{index}")
        assert model["PrimaryContainer"]["Image"] == f"img:{index}"
        tags = {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=model["ModelArn"])["Tags"]}
        assert tags == {"owner": str(index), **{f"k{k}": str(index) for k in range(10)}}
        variant = sm.describe_endpoint_config(EndpointConfigName=f"c-{index}")["ProductionVariants"][0]
        assert variant["InitialInstanceCount"] == index + 1
    shared = []
    kwargs = {"ResourceArn": served.emulator.store.arn("model", "shared"), "MaxResults": 50}
    while True:
        page = sm.list_tags(**kwargs)
        shared += page["Tags"]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert len(shared) == workers * 6 == len({t["Key"] for t in shared})
    assert len(sm.list_endpoints(MaxResults=100)["Endpoints"]) == workers


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_command_prints_url_and_stops_on_signal(sig):
    process = subprocess.Popen([sys.executable, "-m", "conformance", "serve", "--port", "0", "--time-scale", "0.001"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        sm = boto3.session.Session().client("sagemaker", endpoint_url=url, region_name="us-east-1",
                                            aws_access_key_id="testing", aws_secret_access_key="testing")
        assert sm.list_models()["Models"] == []
        with pytest.raises(ClientError) as err:
            sm.describe_endpoint(EndpointName="none")
        assert error_code(err) == "ValidationException"
        process.send_signal(sig)
        assert process.wait(timeout=20) == 0
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_list_faults_and_bad_fault():
    listed = subprocess.run([sys.executable, "-m", "conformance", "serve", "--list-faults"],
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == list(FAULTS)
    bad = subprocess.run([sys.executable, "-m", "conformance", "serve", "--fault", "nope"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr


# ---------------------------------------------------- responses match the model

def _output_violations(operation, body):
    from conformance import shapes

    return shapes.violations(operation, body, direction="output")


def test_every_response_matches_its_output_shape(emulator):
    """A tour of every implemented operation through a recording middleware."""
    from conformance.emulator import inprocess
    from test_emulator_support import NO_CLIENT_VALIDATION, make_config, make_model, second_config

    answers = []

    def recording(environ, start_response):
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"] = int(status.split()[0])
            return start_response(status, headers, exc_info)

        body = b"".join(emulator.wsgi_app(environ, capture))
        if target.startswith("SageMaker.") and captured["status"] == 200:
            answers.append((target.split(".", 1)[1], json.loads(body)))
        return [body]

    sm = inprocess.client(recording, config=NO_CLIENT_VALIDATION)
    cw = inprocess.client(recording, "cloudwatch")
    cw.put_metric_alarm(AlarmName="tour", **ALARM)
    arn = make_model(sm, "m", Tags=[{"Key": "k", "Value": "v"}])
    make_config(sm, "c", "m", DataCaptureConfig={
        "InitialSamplingPercentage": 50, "DestinationS3Uri": "s3://bucket/capture",
        "CaptureOptions": [{"CaptureMode": "Input"}]})
    make_endpoint(sm, emulator, "ep", wait=False)
    sm.describe_endpoint(EndpointName="ep")
    emulator.clock.advance(timing.CREATE_SECONDS)
    new = second_config(sm, "ep")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=new, DeploymentConfig={
        "BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": {
            "Type": "LINEAR", "WaitIntervalInSeconds": 20, "LinearStepSize": {"Type": "CAPACITY_PERCENT", "Value": 50}}},
        "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "tour"}]}})
    for _ in range(40):
        sm.describe_endpoint(EndpointName="ep")
        emulator.clock.advance(10)
    sm.update_endpoint_weights_and_capacities(EndpointName="ep", DesiredWeightsAndCapacities=[
        {"VariantName": "AllTraffic", "DesiredWeight": 0.5}])
    sm.describe_endpoint(EndpointName="ep")
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "k2", "Value": "v2"}])
    sm.list_tags(ResourceArn=arn)
    sm.delete_tags(ResourceArn=arn, TagKeys=["k"])
    sm.list_models()
    sm.list_endpoint_configs()
    sm.list_endpoints()
    sm.describe_model(ModelName="m")
    sm.describe_endpoint_config(EndpointConfigName="c")
    sm.search(Resource="Endpoint")
    sm.search(Resource="Model")
    sm.delete_endpoint(EndpointName="ep")
    sm.describe_endpoint(EndpointName="ep")
    sm.delete_endpoint_config(EndpointConfigName="c")
    sm.delete_model(ModelName="m")
    operations = {operation for operation, _ in answers}
    assert operations == set(emulator.operations)
    problems = [(operation, str(v)) for operation, body in answers for v in _output_violations(operation, body)]
    assert problems == []


def test_other_services_answered_by_moto_in_the_emulator_account(emulator):
    from conformance.emulator import inprocess

    s3 = inprocess.client(emulator.wsgi_app, "s3")
    s3.create_bucket(Bucket="artifacts")
    s3.put_object(Bucket="artifacts", Key="model/model.tar.gz", Body=b"weights")
    assert s3.get_object(Bucket="artifacts", Key="model/model.tar.gz")["Body"].read() == b"weights"
    iam = inprocess.client(emulator.wsgi_app, "iam")
    role = iam.create_role(RoleName="serving", AssumeRolePolicyDocument="{}")["Role"]
    assert f":{emulator.account_id}:" in role["Arn"]
