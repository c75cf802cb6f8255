"""Server configuration written by the build: nginx fragments and a deployment file under
`_server/nginx/`, Netlify-style `_headers` and `_redirects`, and `_server/redirects.json` (the
legacy-domain map, whose targets the output checks prove are built pages)."""

from __future__ import annotations

import json

from pelican import signals
from pelican.generators import Generator

from site_pages.pages import write_file

from . import netlify, nginx
from .redirects import legacy_paths


class ServerFilesGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        settings = self.settings
        site = self.context["jcredit_site"]
        paths = legacy_paths(site.redirects)
        files = {
            "_headers": netlify.headers_file(settings),
            "_redirects": netlify.redirects_file(settings, paths),
            "_server/nginx/site.conf": nginx.site_conf(settings),
            "_server/nginx/legacy.conf": nginx.legacy_conf(settings),
            "_server/nginx/legacy-map.conf": nginx.legacy_map_conf(paths),
            "_server/nginx/japancredit.conf": nginx.deployment_conf(settings),
            "_server/redirects.json": json.dumps(
                [{"old": r.old, "new": r.new, "line": r.line} for r in site.redirects],
                ensure_ascii=False, indent=1) + "\n",
        }
        for relative, text in files.items():
            write_file(self, relative, text)


def get_generators(pelican):
    return ServerFilesGenerator


def register():
    signals.get_generators.connect(get_generators)
