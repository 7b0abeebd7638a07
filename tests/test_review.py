"""The static review site: escaping of hostile page text, CSP, links, and a headless-Chromium run.

The browser test needs Debian's Chromium (`apt-get install -y chromium fonts-noto-cjk`) and the Python
`playwright` package (dev extra; its own browser download is never used). It skips when either is absent.
Set OGI_REVIEW_SCREENSHOTS=1 to refresh docs/review-index.png and docs/review-document.png.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.review.render import json_for_script, page_name

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "audit"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PAYLOADS = ['<script>alert("title")</script>', "<img src=x onerror=alert(1)>", '"</script><script>alert(2)</script>',
            '=HYPERLINK("http://evil.example/","点此")']


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location("audit_fixture_build", FIXTURES / "build.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    seed, hostile = build.seed_document(), build.hostile_document()
    base = tmp_path_factory.mktemp("review")
    dataset = build.build_dataset([seed, hostile], base / "outputs")
    assert main(["review", "--dataset", str(dataset), "--out", str(base / "site")]) == 0
    return {"dir": base / "site", "seed": base / "site" / "doc" / page_name(seed.doc_id),
            "hostile": base / "site" / "doc" / page_name(hostile.doc_id), "hostile_text": hostile.text}


def test_json_for_script_escapes_everything_that_ends_a_script() -> None:
    out = json_for_script({"a": '</script><!-- & \u2028\u2029 "'})
    assert not re.search(r"[<>&\u2028\u2029]", out)
    assert json.loads(out) == {"a": '</script><!-- & \u2028\u2029 "'}


@pytest.mark.parametrize(("url", "linked"), [
    ("https://www.gov.cn/a.html", True), ("javascript:alert(1)", False), (" javascript:alert(1)", False),
    ("data:text/html,<script>", False), ("//evil.example", False)])
def test_only_http_urls_become_links(url: str, linked: bool) -> None:
    from pipeline.review.render import safe_link

    assert ("<a href=" in safe_link(url, url)) == linked


def test_hostile_page_html_is_escaped(site: dict[str, Any]) -> None:
    html = site["hostile"].read_text(encoding="utf-8")
    assert html.count("<script") == 2  # the JSON data block and review.js, nothing else
    assert '<script src="../review.js"></script>' in html
    assert re.search(r'<meta http-equiv="Content-Security-Policy" content="[^"]*script-src \'self\'', html)
    assert not re.search(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", html)  # no inline handler in any tag
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '"><script>alert(9)' not in html and "&quot;&gt;&lt;script&gt;alert(9)" in html  # URL escaped
    data = html.split('id="ogi-data">', 1)[1].split("</script>", 1)[0]
    assert not re.search(r"[<>&\u2028\u2029]", data)
    assert json.loads(data)["figures"][0]["metric"]
    index = (site["dir"] / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in index or "alert" not in index


def test_seed_page_links_findings_to_figures(site: dict[str, Any]) -> None:
    html = site["seed"].read_text(encoding="utf-8")
    data = json.loads(html.split('id="ogi-data">', 1)[1].split("</script>", 1)[0])
    codes = {f["code"] for f in data["findings"]}
    assert {"share_mismatch", "parts_sum_mismatch", "repair_hint"} <= codes
    share = next(f for f in data["findings"] if f["code"] == "share_mismatch")
    target = share["figures"][0]
    assert data["figures"][target]["metric"] == "proactive.by_category.work_updates"
    assert f'id="fig-{target}"' in html and f'href="#fig-{target}"' in html
    assert html.count('<mark class="fig') >= len(data["figures"])


def _browser() -> Any:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get update && apt-get install -y chromium fonts-noto-cjk")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("python package playwright missing: pip install -e '.[dev]'")
    return sync_playwright


def test_in_headless_chromium_nothing_executes(site: dict[str, Any]) -> None:
    sync_playwright = _browser()
    dialogs: list[str] = []
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(site["hostile"].as_uri())
            page.wait_for_load_state("load")
            source = page.inner_text("#source")
            for payload in PAYLOADS:
                assert payload in source
            assert page.evaluate("document.querySelectorAll('img').length") == 0
            assert page.evaluate("document.querySelectorAll('script').length") == 2
            page.hover('mark.fig[data-figs="0"]')  # review.js ran under the CSP: the panel fills in
            assert "requests.received.total" in page.inner_text("#figure-panel")
            page.click("mark.fig >> nth=2")
            assert "alert(2)" in page.inner_text("#figure-panel")  # the quote, shown as text
            page.goto(site["seed"].as_uri())
            page.click('a[data-fig] >> nth=0')
            assert "Figure #" in page.inner_text("#figure-panel")
            page.goto((site["dir"] / "index.html").as_uri())
            page.fill("#filter-text", "牡丹江")
            assert page.inner_text("#shown") == "1"
            page.fill("#filter-text", "")
            page.check("#filter-findings")
            assert page.inner_text("#shown") == "2"
        finally:
            browser.close()
    assert dialogs == [] and errors == []
    assert all(u.startswith("file://") for u in requests), requests


def test_screenshots(site: dict[str, Any], tmp_path: Path) -> None:
    sync_playwright = _browser()
    target = ROOT / "docs" if os.environ.get("OGI_REVIEW_SCREENSHOTS") == "1" else tmp_path
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 860})
            page.goto((site["dir"] / "index.html").as_uri())
            page.screenshot(path=str(target / "review-index.png"))
            page.goto(site["seed"].as_uri())
            page.locator("a[data-fig]").first.click()
            link = page.locator("ul.findings a[data-fig]").first
            link.click()
            page.evaluate("window.scrollTo(0, document.querySelector('mark.fig.flagged').offsetTop - 200)")
            page.hover("mark.fig.flagged")
            page.screenshot(path=str(target / "review-document.png"))
        finally:
            browser.close()
    assert (target / "review-index.png").stat().st_size > 10_000
    assert (target / "review-document.png").stat().st_size > 10_000
