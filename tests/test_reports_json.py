"""report.json: schema-valid for every kind of run, faithful round trip, one-line errors on bad files."""

from __future__ import annotations

import dataclasses
import json

import jsonschema
import pytest

import test_reports_samples as samples
from conformance.errors import ConformanceError
from conformance.reports import FILENAMES, load, schema, write_reports
from conformance.reports.jsonreport import problems
from conformance.results import Failure, OperationResult, RuleResult, Status

SAMPLES = {"all_pass": samples.all_pass, "with_failures": samples.with_failures, "moto_like": samples.moto_like}


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_report_json_validates_against_shipped_schema(tmp_path, name):
    paths = write_reports(SAMPLES[name](), tmp_path)
    assert set(paths) == set(FILENAMES) and all(path.is_file() for path in paths.values())
    data = json.loads(paths["json"].read_text())
    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)
    assert data["report_format"] == 1


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_report_json_round_trips_through_load(tmp_path, name):
    run = SAMPLES[name]()
    loaded = load(write_reports(run, tmp_path)["json"])
    assert loaded.to_json() == run.to_json()
    assert loaded.verdict == run.verdict and loaded.summary == run.summary


def test_report_json_carries_documented_top_level_fields(tmp_path):
    data = json.loads(write_reports(samples.with_failures(), tmp_path)["json"].read_text())
    for key in ("tool", "target", "botocore_version", "seed", "started", "duration_s", "verdict", "summary",
                "rules", "operations"):
        assert key in data
    assert data["verdict"] == "nonconformant"
    assert data["summary"] == {"passed": 8, "failed": 2, "not_implemented": 0, "target_error": 0, "skipped": 0}
    failing = next(rule for rule in data["rules"] if rule["id"] == "endpoint.update.canary-size-at-most-half")
    assert failing["failures"][0]["seed"] == 1234 and "update_endpoint" in failing["failures"][0]["reproduction"]


def test_schema_covers_every_result_field():
    """A field added to the dataclasses without the schema would make load() reject good reports."""
    definitions = schema()["$defs"]
    assert set(definitions["rule"]["properties"]) == {f.name for f in dataclasses.fields(RuleResult)}
    assert set(definitions["operation"]["properties"]) == {f.name for f in dataclasses.fields(OperationResult)}
    assert set(definitions["failure"]["properties"]) == {f.name for f in dataclasses.fields(Failure)}


def test_load_accepts_a_report_directory(tmp_path):
    write_reports(samples.moto_like(), tmp_path)
    assert load(tmp_path).summary["not_implemented"] == 2


def _write(tmp_path, text):
    path = tmp_path / "report.json"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d.pop("rules"), "'rules' is a required property"),
        (lambda d: d.update(verdict="great"), "$.verdict"),
        (lambda d: d["rules"][0].update(status="fine"), "$.rules[0].status"),
        (lambda d: d["rules"][0].update(colour="red"), "$.rules[0]"),
        (lambda d: d["summary"].update(passed=-1), "$.summary.passed"),
        (lambda d: d["operations"][0]["status_codes"].update(ok=1), "$.operations[0].status_codes"),
    ],
)
def test_load_rejects_a_corrupt_report_in_one_line(tmp_path, mutate, expected):
    data = json.loads(write_reports(samples.all_pass(), tmp_path)["json"].read_text())
    mutate(data)
    path = _write(tmp_path, json.dumps(data))
    with pytest.raises(ConformanceError) as info:
        load(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message and expected in message


@pytest.mark.parametrize("text", ["", "{not json", "[1, 2]", '{"tool": {}}', "\x00\x01"])
def test_load_rejects_non_reports_in_one_line(tmp_path, text):
    with pytest.raises(ConformanceError) as info:
        load(_write(tmp_path, text))
    assert "\n" not in str(info.value)


def test_load_missing_file_is_one_line(tmp_path):
    with pytest.raises(ConformanceError, match="cannot read report"):
        load(tmp_path / "absent.json")


def test_problems_lists_every_violation_with_its_path():
    data = samples.all_pass().to_json()
    data["rules"][1]["checks"] = "many"
    data["rules"][3]["status"] = "meh"
    found = problems(data)
    assert [entry.split(":")[0] for entry in found] == ["$.rules[1].checks", "$.rules[3].status"]


def test_write_reports_into_an_unwritable_place_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConformanceError, match="cannot write reports"):
        write_reports(samples.all_pass(), blocker / "sub")


def test_report_statuses_are_the_result_enum():
    assert set(schema()["$defs"]["status"]["enum"]) == {status.value for status in Status}


def test_an_interrupted_run_is_at_best_incomplete():
    from conformance.results import Failure, RuleResult, RunResult, Status, Verdict

    def run(status, interrupted):
        rule = RuleResult(id="r", area="tags", statement="s MUST", citation={"operation": "AddTags", "member": ""},
                          status=status, checks=1,
                          failures=[Failure("broke")] if status is Status.FAILED else [])
        return RunResult(tool={}, target={}, botocore_version="x", seed=1, started="t", duration_s=0.0,
                         rules=[rule], interrupted=interrupted)

    assert run(Status.PASSED, False).verdict is Verdict.CONFORMANT
    assert run(Status.PASSED, True).verdict is Verdict.INCOMPLETE
    assert run(Status.FAILED, True).verdict is Verdict.NONCONFORMANT
    assert RunResult.from_json(run(Status.PASSED, True).to_json()).interrupted
