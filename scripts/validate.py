"""Validate a content tree and report every problem as path:line: field: message (ja / en).

Usage: validate.py [CONTENT_DIR]   (exit 1 when anything is wrong)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import validate  # noqa: E402

if __name__ == "__main__":
    sys.exit(validate(sys.argv[1] if len(sys.argv) > 1 else "content"))
