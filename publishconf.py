"""Settings for the published site: the same build, with the canonical address."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = SITE_ORIGIN  # noqa: F405
