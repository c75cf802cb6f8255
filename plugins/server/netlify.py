"""The same configuration for hosts that read Netlify-style `_headers` and `_redirects` files."""

from __future__ import annotations

from urllib.parse import quote

from .headers import security_headers
from .nginx import legacy_hosts


def headers_file(settings: dict) -> str:
    return "/*\n" + "".join(f"  {name}: {value}\n" for name, value in security_headers(settings).items())


def redirects_file(settings: dict, paths: dict[str, str]) -> str:
    target = f"https://{settings['SITE_HOST']}"
    lines = []
    for host in legacy_hosts(settings):
        for scheme in ("https", "http"):
            lines += [f"{scheme}://{host}{quote(old)} {target}{new} 301!" for old, new in sorted(paths.items())]
            lines.append(f"{scheme}://{host}/* {target}/:splat 301!")
    lines += ["/_server/* /404.html 404!", "/en/* /en/404.html 404", "/* /404.html 404"]
    return "\n".join(lines) + "\n"
