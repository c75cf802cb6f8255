"""The server configuration the build writes, run for real: Debian's nginx on 127.0.0.1 with the
generated fragments, wrapped in a test-only envelope that sets the port, root, pid and temporary
paths. Asserted over HTTP: security headers, .html-less URLs, 404 pages in both languages, no
listings, and the legacy domains redirected through the editors' map (by Host header)."""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import run_build

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WRAPPER = """daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {conf}/legacy-map.conf;
    server {{ listen 127.0.0.1:{port}; include {conf}/legacy.conf; }}
    server {{ listen 127.0.0.1:{port} default_server; root {root}; include {conf}/site.conf; }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(built_site, tmp_path_factory):
    """(port, output) of nginx serving the built fixture site with its generated configuration."""
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(WRAPPER.format(tmp=tmp, port=port, root=built_site, conf=built_site / "_server/nginx"))
    args = [NGINX, "-e", str(tmp / "error.log"), "-p", str(tmp), "-c", str(conf)]
    check = subprocess.run(args + ["-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:  # wait until it listens (a readiness wait, not a timed assertion)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not start listening"
            time.sleep(0.05)
    yield port, built_site
    server.terminate()
    server.wait(timeout=10)


def get(port: int, path: str, host: str = "japancredit.go.jp"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": host})
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_every_response_carries_the_security_headers(nginx):
    port, _ = nginx
    for path in ("/", "/offers/", "/theme/css/site.css", "/no-such-page/", "/offers"):
        status, headers, _ = get(port, path)
        csp = headers["content-security-policy"]
        assert csp.startswith("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
                              "img-src 'self';"), path  # WebAssembly for the site search, no other script
        assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp and "form-action 'self'" in csp
        assert "connect-src 'self'" in csp and "unsafe-inline" not in csp and "'unsafe-eval'" not in csp
        assert headers["strict-transport-security"].startswith("max-age=63072000")
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "camera=()" in headers["permissions-policy"] and "geolocation=()" in headers["permissions-policy"]
        assert "server" not in headers or "/" not in headers["server"]  # no version shown


def test_pages_answer_without_html_in_their_urls(nginx):
    port, _ = nginx
    status, headers, body = get(port, "/offers/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8" and "<h1" in body
    assert get(port, "/offers")[0:2] == (301, get(port, "/offers")[1]) and get(port, "/offers")[1]["location"] == "/offers/"
    for old, new in (("/offers/index.html", "/offers/"), ("/404.html", "/404"), ("/en/offers/index.html?sort=q", "/en/offers/?sort=q")):
        status, headers, _ = get(port, old)
        assert (status, headers["location"]) == (301, new), old
    assert get(port, "/404")[0] == 200
    assert (get(port, "/index.html")[0], get(port, "/index.html")[1]["location"]) == (301, "/")


@pytest.mark.parametrize("path", ["//evil.example/index.html", "//evil.example/x.html", "/\\evil.example/index.html",
                                  "/\\evil.example/x.html", "///evil.example/index.html?q=1"])
def test_the_html_less_redirect_never_leads_to_another_host(nginx, path):
    """The redirect sends the request's own path back: one that starts // or /\\ would be read
    by a browser as a link to another host (an open redirect, IPA's secure-website guide)."""
    port, _ = nginx
    status, headers, _ = get(port, path)
    location = headers.get("location", "")
    assert not location.startswith(("//", "/\\")) and "evil.example" not in location.split("/", 3)[2:3], (status, location)


def test_not_found_in_each_language_and_no_listings(nginx):
    port, output = nginx
    status, _, body = get(port, "/no-such-page/")
    assert status == 404 and '<html lang="ja">' in body and "ページが見つかりません" in body
    status, _, body = get(port, "/en/no-such-page/")
    assert status == 404 and '<html lang="en">' in body and "Page not found" in body
    assert not (output / "theme/index.html").exists()
    status, _, body = get(port, "/theme/")
    assert status == 404 and "Index of" not in body
    for hidden in ("/_server/nginx/site.conf", "/_headers", "/_redirects", "/_server/redirects.json"):
        assert get(port, hidden)[0] == 404, hidden


def test_downloads_have_their_types(nginx):
    port, output = nginx
    pdf = next(output.rglob("*.pdf")).relative_to(output).as_posix()
    assert get(port, "/" + pdf)[1]["content-type"] == "application/pdf"
    assert get(port, "/theme/images/logo.svg")[1]["content-type"].startswith("image/svg+xml")


def test_calendars_and_feeds_have_their_types(nginx):
    """Debian's mime.types has no ics: without the site's own type a calendar would download
    as application/octet-stream, and calendar apps would not subscribe to it."""
    port, _ = nginx
    for path in ("/meetings/meetings.ics", "/en/meetings/meetings.ics"):
        status, headers, body = get(port, path)
        assert status == 200 and headers["content-type"] == "text/calendar; charset=utf-8", path
        assert body.startswith("BEGIN:VCALENDAR\r\n")
        assert headers["x-content-type-options"] == "nosniff" and "content-security-policy" in headers
    assert get(port, "/en/meetings/no-such.ics")[0] == 404
    # the .ics location's own types leave every other file's type as it was
    assert get(port, "/meetings/meetings.csv")[1]["content-type"] == "text/csv; charset=utf-8"
    assert get(port, "/news/feed.atom")[1]["content-type"] == "application/atom+xml"
    assert get(port, "/en/meetings/")[1]["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("host", ["jcdm.go.jp", "www.jcdm.go.jp", "jcre.jp", "www.jcre.jp"])
def test_legacy_domains_redirect_through_the_editors_map(nginx, host):
    port, output = nginx
    mapped = json.loads((output / "_server/redirects.json").read_text(encoding="utf-8"))
    assert {e["old"]: e["new"] for e in mapped}["/outline/index.html"] == "/about/"
    cases = {"/outline/index.html": "/about/",  # as written in tests/fixtures/site/redirects.yaml
             "/outline/": "/about/",  # the folder form of the same old page
             "/sale/list.html": "/offers/",
             "/somewhere/else.html?id=3": "/somewhere/else.html?id=3"}  # unmapped: same path and query
    for old, new in cases.items():
        status, headers, _ = get(port, old, host=host)
        assert (status, headers["location"]) == (301, "https://japancredit.go.jp" + new), (host, old)


def test_the_deployment_file_includes_the_tested_fragments(built_site):
    deployment = (built_site / "_server/nginx/japancredit.conf").read_text()
    for fragment in ("legacy-map.conf", "legacy.conf", "site.conf"):
        assert f"/etc/nginx/japancredit/{fragment};" in deployment
    assert "listen 443 ssl" in deployment and "return 301 https://japancredit.go.jp$request_uri;" in deployment


def test_netlify_style_headers_and_redirects(built_site):
    headers = (built_site / "_headers").read_text().splitlines()
    assert headers[0] == "/*"
    assert any(line.startswith("  Content-Security-Policy: default-src 'none'; script-src 'self' 'wasm-unsafe-eval';")
               for line in headers)
    redirects = (built_site / "_redirects").read_text().splitlines()
    assert "https://jcre.jp/outline/index.html https://japancredit.go.jp/about/ 301!" in redirects
    assert "http://www.jcdm.go.jp/* https://japancredit.go.jp/:splat 301!" in redirects
    assert "/en/* /en/404.html 404" in redirects


def test_site_search_adds_only_what_pagefind_needs():
    from server.headers import content_security_policy
    off, on = content_security_policy(False), content_security_policy(True)
    assert "script-src 'self' 'wasm-unsafe-eval'" in on and "connect-src 'self'" in on
    assert on.replace(" 'wasm-unsafe-eval'", "").replace("; connect-src 'self'", "") == off


def test_a_content_root_without_a_map_gets_the_project_default(tmp_path, content_copy):
    (content_copy / "redirects.yaml").unlink()
    output = tmp_path / "site"
    assert run_build(content=content_copy, output=output).returncode == 0
    assert '"/sale/list.html" "/offers/";' in (output / "_server/nginx/legacy-map.conf").read_text()


def test_redirect_map_problems_name_the_line(tmp_path, content_copy):
    (content_copy / "redirects.yaml").write_text(
        "/ok/: /offers/\nold.html: /about/\n/q.php?id=1: /about/\n/x/: //evil.example/\n"
        '/y/: "/a b/"\n/ok/: /news/\n', encoding="utf-8")
    result = run_build("--check", content=content_copy, output=tmp_path / "unused")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "redirects.yaml:" in line]
    assert [line.split("redirects.yaml:")[1].split(":")[0] for line in lines] == ["2", "3", "4", "5", "6"]
    assert "old.html: " in lines[0] and "starting with '/'" in lines[0]
    assert "without '?'" in lines[1] and "percent-encode" in lines[3] and "written twice" in lines[4]


def test_a_redirect_to_a_page_that_is_not_built_fails_the_build(tmp_path, content_copy):
    (content_copy / "redirects.yaml").write_text("/ok/: /offers/\n/gone/: /no-such-page/\n", encoding="utf-8")
    result = run_build(content=content_copy, output=tmp_path / "site")
    assert result.returncode == 1
    assert "redirects.yaml:2: /gone/: " in result.stderr and "not a built page (/no-such-page/)" in result.stderr
