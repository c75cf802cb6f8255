"""Pelican settings of the J-Credit site. The content root, output, build date and mode come
from the environment so that `make html CONTENT=... OUTPUT=... BUILD_DATE=...` builds any tree."""

import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))  # the model is imported by plugins and scripts alike

SITENAME = "J-クレジット制度"
SITEURL = ""
PATH = os.environ.get("CONTENT", "content")
OUTPUT_PATH = os.environ.get("OUTPUT", "output")
TIMEZONE = "Asia/Tokyo"
DEFAULT_LANG = "ja"
BUILD_DATE = os.environ.get("BUILD_DATE") or dt.date.today().isoformat()
INTERNAL_BUILD = os.environ.get("INTERNAL_BUILD") == "1"

THEME = str(ROOT / "theme")
THEME_STATIC_DIR = "theme"
PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = ["i18n", "site_pages", "offers"]
# Rendered contract documents, kept between builds (content-hash keys; see plugins/offers).
OFFER_CONTRACT_CACHE = os.environ.get("CONTRACT_CACHE") or str(ROOT / ".cache" / "contracts")
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

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
