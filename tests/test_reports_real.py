"""Reports of real runs: the reference target (all pass), a faulted reference target (failures with
reproductions that reproduce), and moto (not implemented and failures).

Each test drives ``sagemaker-conformance run`` in a subprocess on one area with a small example
budget, then checks every report file the run wrote. One test per target, so pytest-xdist spreads them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conformance.reports import load, schema
from conformance.reports.compare import ChangeKind, diff
from test_reports_html import Page

pytestmark = pytest.mark.slow

SEED = 3
FAULT = "tags-duplicate-on-overwrite"


# Credentials in the environment of a run must never reach its reports.
ENVIRONMENT_SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAZZZZCONFORMANCE7",
    "AWS_SECRET_ACCESS_KEY": "zZ9/conformanceSecretKeyThatMustNotLeak00",
    "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEConformanceSessionToken",
}


def _run(report_dir: Path, target: str, area: str, examples: int) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "conformance", "run", "--target", target, "-m", area, "--seed", str(SEED),
               "--max-examples", str(examples), "-q", "--report-dir", str(report_dir)]
    environment = {**os.environ, **ENVIRONMENT_SECRETS}
    return subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=report_dir.parent, env=environment)


def _check_reports(directory: Path):
    """What holds for every report of every run; returns the loaded RunResult."""
    data = json.loads((directory / "report.json").read_text())
    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)
    run = load(directory)
    assert run.rules and data["summary"] == run.summary and data["verdict"] == run.verdict.value
    text = (directory / "report.html").read_text()
    page = Page(text)
    assert page.errors == [] and page.fetching == []
    assert not re.search(r"""(?i)(src|href)\s*=\s*["']?\s*(https?:)?//""", text)
    for rule in run.rules:
        assert f"rule-{rule.id}" in page.ids
    cases = ET.parse(directory / "junit.xml").getroot().findall("./testsuite/testcase")
    assert [case.get("name") for case in cases] == [rule.id for rule in run.rules]
    assert run.verdict.value in (directory / "badge.svg").read_text()
    for path in directory.iterdir():
        if path.suffix in (".json", ".html", ".xml", ".svg", ".txt"):
            content = path.read_text(encoding="utf-8")
            assert not [name for name, secret in ENVIRONMENT_SECRETS.items() if secret in content], path.name
    return run


def _decided(run):
    return {rule.id: rule for rule in run.rules if rule.status != "skipped"}


def test_reference_target_run_reports_all_pass(tmp_path):
    result = _run(tmp_path / "reference", "reference", "tags", 3)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    run = _check_reports(tmp_path / "reference")
    decided = _decided(run)
    assert decided and {rule.status for rule in decided.values()} == {"passed"}
    assert "tags" in {rule.area for rule in decided.values()}
    assert run.verdict.value == "conformant" and run.seed == SEED
    assert any(op.name == "AddTags" and op.requests for op in run.operations)
    html = (tmp_path / "reference" / "report.html").read_text()
    assert '<h1 class="verdict" id="verdict">Conformant</h1>' in html and 'id="failure-' not in html


def _serve(fault: str = ""):
    command = [sys.executable, "-m", "conformance", "serve", "--port", "0", "--time-scale", "0.001"]
    if fault:
        command += ["--fault", fault]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), url
    return process, url


# Runs a reproduction and prints, as the last line, the tag keys of the last ListTags it made.
_HARNESS = """
import json, sys, boto3
last = {}
boto3.setup_default_session()
boto3.DEFAULT_SESSION.events.register("after-call.sagemaker.ListTags", lambda parsed, **_: last.update(keys=[t["Key"] for t in parsed.get("Tags", [])]))
exec(compile(open(sys.argv[1]).read(), "reproduction", "exec"))
print(json.dumps(last.get("keys")))
"""


def _replay(reproduction: str, url: str, tmp_path: Path):
    script = tmp_path / "reproduction.py"
    script.write_text(reproduction.replace("http://127.0.0.1:5000", url).replace("TIME_SCALE = 1.0", "TIME_SCALE = 0.001"))
    harness = tmp_path / "harness.py"
    harness.write_text(_HARNESS)
    result = subprocess.run([sys.executable, str(harness), str(script)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_faulted_reference_run_reports_failures_whose_reproduction_reproduces(tmp_path):
    directory = tmp_path / "faulted"
    # 8 examples: 2 per part of the tags machine, enough for this seed to overwrite a key.
    result = _run(directory, f"reference:{FAULT}", "tags", 8)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    run = _check_reports(directory)
    assert run.verdict.value == "nonconformant" and run.target["name"] == f"reference:{FAULT}"
    failed = [rule for rule in run.rules if rule.status == "failed"]
    assert failed and all(rule.area == "tags" for rule in failed)
    failure = failed[0].failures[0]
    assert failure.seed == SEED and "import boto3" in failure.reproduction
    # The terminal shows each failure's reproduction once, not the suite's frames it was raised from.
    assert result.stdout.count(f"# reproduces [{failed[0].id}]") == 1, result.stdout[-3000:]
    assert "Falsifying example" not in result.stdout and "hypothesis/core.py" not in result.stdout
    compile(failure.reproduction, "reproduction", "exec")  # printed as runnable Python
    html = (directory / "report.html").read_text()
    assert f'id="failure-{failed[0].id}"' in html
    assert f"sagemaker-conformance run --target reference:{FAULT} --seed {SEED}" in html

    # The printed reproduction, run against the same fault served over HTTP, shows the duplicated key;
    # against the clean reference target it does not.
    for fault, expect_duplicate in ((FAULT, True), ("", False)):
        server, url = _serve(fault)
        try:
            keys = _replay(failure.reproduction, url, tmp_path)
        finally:
            server.terminate()
            server.wait(timeout=30)
        assert keys is not None
        assert (len(keys) != len(set(keys))) is expect_duplicate, (fault, keys)

    # What a reader sees: rendered in Chromium, screenshot kept with the reports.
    chromium = Path("/usr/bin/chromium")
    if chromium.exists():
        shot = directory / "screenshot.png"
        subprocess.run([str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        f"--user-data-dir={tmp_path / 'profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
                        f"--screenshot={shot}", "--window-size=1280,2000", (directory / "report.html").as_uri()],
                       capture_output=True, timeout=120, check=True)
        assert shot.stat().st_size > 20_000


def test_moto_run_reports_not_implemented_and_failures(tmp_path):
    directory = tmp_path / "moto"
    result = _run(directory, "moto", "lifecycle", 3)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    run = _check_reports(directory)
    statuses = {rule.status for rule in _decided(run).values()}
    assert {"failed", "not_implemented"} <= statuses and run.verdict.value == "nonconformant"
    not_implemented = [rule for rule in run.rules if rule.status == "not_implemented"]
    assert all("not implemented" in rule.reason for rule in not_implemented)
    # moto's known gap: duplicate endpoint names are accepted.
    assert run.rules and next(r for r in run.rules if r.id == "endpoint.create.name-unique").status == "failed"
    junit = ET.parse(directory / "junit.xml").getroot()
    types = {failure.get("type") for failure in junit.iter("failure")}
    assert types == {"nonconformance", "not_implemented"}
    # Against itself nothing regressed; against an all-passing copy every held rule is a regression.
    assert diff(run, run) == []
    passing = load(directory)
    for rule in passing.rules:
        rule.status, rule.failures = "passed", []
    regressions = [c for c in diff(passing, run) if c.kind is ChangeKind.REGRESSION]
    assert {c.rule_id for c in regressions} == {r.id for r in run.rules if r.status in ("failed", "not_implemented")}
