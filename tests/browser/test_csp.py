"""The pages under the headers the build writes (`_headers`), in the system Chromium: the strict
Content-Security-Policy blocks nothing the site needs, and a hostile content tree's pages run no
script, open no dialog and contact no other host."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import built_headers, run_build, serve_directory
from test_accessibility import TEMPLATES
from test_output_checks import HOSTILE_PAGE

pytestmark = pytest.mark.browser

WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.alert = window.confirm = window.prompt = () => { window.__violations.push('dialog'); };"""


@pytest.fixture(scope="module")
def serve_with_headers():
    servers = []

    def start(output: Path) -> str:
        server = serve_directory(output, built_headers(output))
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


def visit(page, url: str) -> list[str]:
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("dialog", lambda dialog: (problems.append("dialog"), dialog.dismiss()))
    page.on("request", lambda req: urlparse(req.url).hostname != "127.0.0.1" and problems.append(req.url))
    page.add_init_script(WATCH)
    response = page.goto(url)
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    return problems + page.evaluate("window.__violations")


@pytest.mark.parametrize("lang", ["", "en/"])
def test_every_page_works_under_the_strict_policy(page, built_site, serve_with_headers, lang):
    base = serve_with_headers(built_site)
    for path in TEMPLATES:
        assert visit(page, f"{base}/{lang}{path}") == [], path
        # the site's own stylesheet and images did load under style-src/img-src 'self'
        assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
        assert page.evaluate("document.querySelector('.site-name img').naturalWidth") > 0


def test_a_hostile_tree_runs_no_script_and_contacts_no_other_host(page, tmp_path, content_copy, serve_with_headers):
    (content_copy / "ja/pages/hostile.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    output = tmp_path / "site"
    result = run_build(content=content_copy, output=output)
    assert result.returncode == 0, result.stderr
    base = serve_with_headers(output)
    assert visit(page, f"{base}/hostile/") == []
    assert visit(page, f"{base}/en/hostile/") == []
    assert "本文" in page.locator("main").inner_text()
