"""The editors' preview: `make serve` rebuilds on save and reloads the open page, and shows the
build's problems in the page when a save breaks the content."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=["own process", "build server"])
def preview(request, content_copy, tmp_path):
    """The preview, building in a process of its own per save (as in CI) or on the build server."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if request.param == "build server":
        env.pop("CI", None)
        env.update(BUILD_SERVER="1", JCREDIT_CACHE=str(tmp_path / "cache"))
        request.addfinalizer(lambda: subprocess.run(
            [sys.executable, str(ROOT / "scripts/build_server.py"), "--stop", env["JCREDIT_CACHE"]], env=env, check=True))
    process, url = start_preview(content_copy, tmp_path / "preview", port, env)
    yield url, content_copy
    process.terminate()
    process.wait(timeout=10)


def start_preview(content, output, port: int, env: dict) -> tuple[subprocess.Popen, str]:
    """serve.py on `port`, once it answers (its reload script is served before any build ends)."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts/serve.py"), "--content", str(content), "--output",
         str(output), "--port", str(port), "--build-date", "2026-11-23"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/__preview/reload.js", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return process, url


def test_saving_a_record_reloads_the_page_and_a_bad_save_shows_the_problem(page, preview):
    url, content = preview
    page.goto(url + "/offers/kochi-forest/")
    assert "12,000" in page.locator("main").inner_text()
    offer = content / "ja/offers/kochi-forest.yaml"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace("quantity_t_co2: 12000", "quantity_t_co2: 12345"), encoding="utf-8")
    page.wait_for_function("document.querySelector('main').innerText.includes('12,345')", timeout=30000)
    offer.write_text(text.replace("quantity_t_co2: 12000", "quantity_t_co2: １２３"), encoding="utf-8")
    problems = page.locator("#preview-problems[role=alert]")
    problems.wait_for(timeout=30000)
    assert "kochi-forest.yaml" in problems.inner_text() and "quantity_t_co2" in problems.inner_text()
    assert "12,345" in page.locator("main").inner_text()  # the last good build stays on screen
    # in view wherever the page is scrolled to, and gone once the content is mended
    assert problems.evaluate("box => getComputedStyle(box).position") == "fixed"
    offer.write_text(text, encoding="utf-8")
    page.wait_for_function("document.querySelector('main').innerText.includes('12,000')", timeout=30000)
    assert page.locator("#preview-problems[role=alert]").count() == 0


def open_tabs(context, url: str, paths: list[str]) -> list:
    """A tab per path, opened one after another as an editor would (the first one listens)."""
    pages = []
    for path in paths:
        page = context.new_page()
        page.goto(url + "/" + path, timeout=15000)
        pages.append(page)
    return pages


def test_many_open_pages_share_one_stream_and_a_warning_shows_without_a_failure(context, preview):
    """A browser keeps six connections to a host: with a stream per tab, a seventh page never
    loaded. One tab listens and tells the others; every tab still reloads on a save. A build
    that succeeds with warnings shows them (the fixture's about page has some)."""
    url, content = preview
    paths = ["", "offers/", "about/", "en/", "faqs/", "methodologies/", "meetings/", "offers/kochi-forest/"]
    pages = open_tabs(context, url, paths)
    warnings = pages[0].locator("#preview-problems[role=status]")
    warnings.wait_for(timeout=15000)
    assert "about.md" in warnings.inner_text() and "<script>" in warnings.inner_text()
    offer = content / "ja/offers/kochi-forest.yaml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("quantity_t_co2: 12000", "quantity_t_co2: 12345"),
                     encoding="utf-8")
    pages[-1].wait_for_function("document.querySelector('main').innerText.includes('12,345')", timeout=30000)
    pages[1].wait_for_function("document.body.innerText.includes('12,345')", timeout=30000)


def test_the_panel_names_files_as_the_content_repository_does(page, preview):
    """Editors think in their repository's paths: content/ja/..., wherever the content folder
    and the preview are (here the content is in a temporary folder, the preview started in the
    project's), never the absolute path of their checkout."""
    url, content = preview
    page.goto(url + "/offers/kochi-forest/")
    warnings = page.locator("#preview-problems[role=status]")
    warnings.wait_for(timeout=15000)
    assert re.search(r"^content/ja/pages/about\.md:\d+: ", warnings.inner_text(), re.M), warnings.inner_text()
    offer = content / "ja/offers/kochi-forest.yaml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("quantity_t_co2: 12000", "quantity_t_co2: １２３"),
                     encoding="utf-8")
    problems = page.locator("#preview-problems[role=alert]")
    problems.wait_for(timeout=30000)
    text = problems.inner_text()
    assert re.search(r"^content/ja/offers/kochi-forest\.yaml:\d+: quantity_t_co2: ", text, re.M), text
    assert str(content) not in text and str(content.parent) not in text


FOCUSED = """() => {
  const element = document.activeElement;
  return {tag: element.localName, id: element.id, href: element.getAttribute("href"),
          table: element.closest("table") && element.closest("table").id, x: scrollX, y: scrollY};
}"""


def save_quantity(content, old: str, new: str) -> None:
    offer = content / "ja/offers/kochi-forest.yaml"
    offer.write_text(offer.read_text(encoding="utf-8").replace(f"quantity_t_co2: {old}", f"quantity_t_co2: {new}"),
                     encoding="utf-8")


def test_a_reload_keeps_the_focused_control_and_the_scroll_position(page, preview):
    """WCAG 2.4.3: a keyboard or screen-reader editor keeps their place across each save's
    reload: the control they were on (one with an id, and a table link without one) keeps the
    focus, and the page stays scrolled where it was."""
    url, content = preview
    page.set_viewport_size({"width": 800, "height": 360})  # short: the page scrolls
    page.goto(url + "/offers/")
    page.locator("#offers-min").fill("100")  # typing into the table's filter, which keeps it in the URL
    page.evaluate("window.scrollTo(0, document.getElementById('offers-min').getBoundingClientRect().top + scrollY - 80)")
    before = page.evaluate(FOCUSED)
    assert before["id"] == "offers-min" and before["y"] > 0, before
    page.evaluate("window.stale = true")
    save_quantity(content, "12000", "12345")
    page.wait_for_function("!window.stale && document.querySelector('main').innerText.includes('12,345')", timeout=30000)
    page.wait_for_function("document.readyState === 'complete'")
    page.wait_for_function("document.activeElement.id === 'offers-min'", timeout=5000)
    assert page.evaluate(FOCUSED) == before and "min=100" in page.url

    link = page.locator("#offers-table a[href='/offers/kochi-forest/']")
    link.focus()
    page.evaluate("window.scrollTo(0, document.activeElement.getBoundingClientRect().top + scrollY - 120)")
    before = page.evaluate(FOCUSED)
    assert before["href"] == "/offers/kochi-forest/" and before["table"] == "offers-table" and before["y"] > 0, before
    page.evaluate("window.stale = true")
    save_quantity(content, "12345", "12000")
    page.wait_for_function("!window.stale && document.querySelector('main').innerText.includes('12,000')", timeout=30000)
    page.wait_for_function("document.readyState === 'complete'")
    page.wait_for_function("document.activeElement.getAttribute('href') === '/offers/kochi-forest/'", timeout=5000)
    assert page.evaluate(FOCUSED) == before


def test_relayed_reloads_keep_each_tabs_focus_and_the_relay_goes_on(context, preview):
    """Eight tabs, one listening and relaying: every tab reloads on each of two saves, and the
    tabs that had a control focused (the listener and two it relays to) have it back each time."""
    url, content = preview
    paths = ["offers/", "", "about/", "offers/", "faqs/", "methodologies/", "meetings/", "offers/kochi-forest/"]
    pages = open_tabs(context, url, paths)
    pages[0].locator("#preview-problems[role=status]").wait_for(timeout=15000)  # the first tab listens
    focused = {0: "#offers-max", 3: "#offers-table a[href='/offers/kochi-forest/']", 7: "main a[href]"}
    for index, selector in focused.items():
        pages[index].locator(selector).first.focus()
    expected = {index: pages[index].evaluate(FOCUSED) for index in focused}
    assert all(state["tag"] != "body" for state in expected.values()), expected
    for old, new, shown in (("12000", "12345", "12,345"), ("12345", "12000", "12,000")):
        for page in pages:
            page.evaluate("window.stale = true")
        save_quantity(content, old, new)
        for page in pages:
            page.wait_for_function("!window.stale && document.readyState === 'complete'", timeout=30000)
        for index in (0, 3, 7):
            assert shown in pages[index].locator("main").inner_text()
        for index, state in expected.items():
            pages[index].wait_for_function(f"({FOCUSED})().tag === {state['tag']!r}", timeout=5000)
            assert pages[index].evaluate(FOCUSED) == state, paths[index]


def test_preview_serves_404_pages_and_keeps_the_script_out_of_the_build(page, preview, tmp_path):
    url, _ = preview
    response = page.goto(url + "/en/no-such-page/")
    assert response.status == 404 and page.locator("h1").inner_text() == "Page not found"
    built = (tmp_path / "preview/index.html").read_text(encoding="utf-8")
    assert "__preview" not in built


def test_a_first_build_that_fails_is_served_with_its_problems_and_mended_by_a_save(page, content_copy, tmp_path):
    offer = content_copy / "ja/offers/kochi-forest.yaml"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace("listed_on: ", "listed_on: 令和", 1), encoding="utf-8")
    port = free_port()
    process, url = start_preview(content_copy, tmp_path / "preview", port, {**os.environ, "BUILD_SERVER": "0"})
    try:
        page.goto(url + "/offers/kochi-forest/")
        problems = page.locator("#preview-problems[role=alert]")
        problems.wait_for(timeout=30000)
        assert "kochi-forest.yaml" in problems.inner_text() and "listed_on" in problems.inner_text()
        offer.write_text(text, encoding="utf-8")
        page.wait_for_function("document.querySelector('main') && document.querySelector('main').innerText.includes('12,000')",
                               timeout=60000)
        # a second preview on the same port says so, before building anything
        taken = subprocess.run([sys.executable, str(ROOT / "scripts/serve.py"), "--content", str(content_copy),
                                "--output", str(tmp_path / "other"), "--port", str(port)],
                               capture_output=True, text=True, timeout=60)
        assert taken.returncode == 1 and "cannot be used" in taken.stderr and not (tmp_path / "other").exists()
    finally:
        process.terminate()
        process.wait(timeout=10)
