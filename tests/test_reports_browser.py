"""report.html in headless Chromium: what a reader sees once the page's script has run.

Needs Debian's ``chromium`` (.ci/run installs it); skipped with a reason when absent.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import test_reports_samples as samples
from conformance.reports import write_reports

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium)")

# Hosts Chromium itself calls (updates, time, accounts) even with background networking off; never the page.
BROWSER_OWN_HOSTS = re.compile(r"(^|\.)(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)$")


def _chromium(tmp_path: Path, url: str, *extra: str) -> str:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        "--disable-default-apps", f"--user-data-dir={profile}",
        # Resolve nothing: even a page that tried to fetch could not leave the machine.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        *extra, url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _png_size(path: Path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_browser_shows_verdict_after_script_runs_and_no_fetches(tmp_path):
    run = samples.with_failures()
    html = write_reports(run, tmp_path / "report")["html"]
    netlog = tmp_path / "netlog.json"
    dom = _chromium(tmp_path, html.as_uri(), "--dump-dom", f"--log-net-log={netlog}")
    assert 'data-ready="true"' in dom and 'class="js"' in dom  # the script ran without error
    assert re.search(r'<h1 class="verdict" id="verdict">Nonconformant</h1>', dom)
    assert '<div class="score-value">80%</div>' in dom
    for rule in run.rules:
        assert f'id="rule-{rule.id}"' in dom
    # Every request the page made is file:// (the page itself); the rest is the browser's own housekeeping.
    events = json.loads(netlog.read_text())["events"]
    urls = {event["params"]["url"] for event in events if "url" in event.get("params", {})}
    page_fetches = {u for u in urls if urlsplit(u).scheme not in ("file", "data", "")
                    and not BROWSER_OWN_HOSTS.search(urlsplit(u).hostname or "")}
    assert page_fetches == set()


def test_browser_filters_rules_from_the_address(tmp_path):
    run = samples.moto_like()
    html = write_reports(run, tmp_path / "report")["html"]
    dom = _chromium(tmp_path, html.as_uri() + "#status=not_implemented", "--dump-dom")
    visible = re.findall(r'<article class="rule" id="rule-([^"]+)"', dom)
    hidden = re.findall(r'<article class="rule hidden" id="rule-([^"]+)"', dom)
    assert sorted(visible) == sorted(r.id for r in run.rules if r.status == "not_implemented")
    assert len(visible) + len(hidden) == len(run.rules)
    assert "Showing 2 of 10 rules (not implemented)" in dom


@pytest.mark.parametrize("factory", [samples.all_pass, samples.moto_like], ids=["all_pass", "moto_like"])
def test_browser_screenshot_is_saved_under_the_report_dir(tmp_path, factory):
    directory = tmp_path / "report"
    html = write_reports(factory(), directory)["html"]
    shot = directory / "screenshot.png"
    _chromium(tmp_path, html.as_uri(), f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.is_file() and shot.stat().st_size > 20_000  # a rendered page, not a blank one
    assert _png_size(shot) == (1280, 2000)

