"""Pelican settings of the J-Credit site. The content root, output, build date and mode come
from the environment so that `make html CONTENT=... OUTPUT=... BUILD_DATE=...` builds any tree."""

import datetime as dt
import os
import sys
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))  # the model is imported by plugins and scripts alike

SITENAME = "J-クレジット制度"
SITEURL = ""
SITE_ORIGIN = "https://japancredit.go.jp"  # the public address, where a format needs absolute URLs
PATH = os.environ.get("CONTENT", "content")
OUTPUT_PATH = os.environ.get("OUTPUT", "output")
TIMEZONE = "Asia/Tokyo"
DEFAULT_LANG = "ja"
BUILD_DATE = os.environ.get("BUILD_DATE") or dt.date.today().isoformat()
INTERNAL_BUILD = os.environ.get("INTERNAL_BUILD") == "1"
# Content-hash caches (parsed records, rendered pages): survive checkouts, never published.
CACHE_PATH = os.environ.get("JCREDIT_CACHE") or str(ROOT / ".cache")

THEME = str(ROOT / "theme")
THEME_STATIC_DIR = "theme"
THEME_STATIC_PATHS = []  # the site_pages plugin publishes theme/static through the build's Output
PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = ["i18n", "site_pages", "translation", "offers", "datasets", "credit_stats", "feeds", "ndc",
           "reports", "opendata", "server", "search", "sitemap"]  # sitemap last: it lists every rendered page
# Rendered contract documents, kept between builds (content-hash keys; see plugins/offers).
OFFER_CONTRACT_CACHE = os.environ.get("CONTRACT_CACHE") or str(Path(CACHE_PATH) / "contracts")
# Compiled templates are kept (keyed by their source): compiling them costs a rebuild 0.2 s.
# No auto_reload: every build is a process of its own, so a loaded template is never stale,
# and checking each template's time whenever a page uses it cost 10,000 pages 0.3 s.
Path(CACHE_PATH, "templates").mkdir(parents=True, exist_ok=True)
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "auto_reload": False,
                     "bytecode_cache": FileSystemBytecodeCache(str(Path(CACHE_PATH, "templates")))}

# Every page comes from our own generator; Pelican's article and page machinery stays idle.
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = []
DIRECT_TEMPLATES = []
PAGINATED_TEMPLATES = {}
for _name in ("AUTHOR", "CATEGORY", "TAG", "ARCHIVES", "AUTHORS", "CATEGORIES", "TAGS",
              "YEAR_ARCHIVE", "MONTH_ARCHIVE", "DAY_ARCHIVE"):
    globals()[f"{_name}_SAVE_AS"] = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = FEED_ATOM = FEED_RSS = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False  # the build writes into a fresh folder and swaps it in

# Publication safety (plugins/checks) and the web server's configuration (plugins/server).
SITE_HOST = "japancredit.go.jp"
LEGACY_HOSTS = ["jcdm.go.jp", "jcre.jp"]  # redirected to SITE_HOST, by content/redirects.yaml where mapped
