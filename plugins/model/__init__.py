"""The J-Credit content model: code lists, schemas, YAML with line marks, validation, records.

It knows nothing of Pelican, so that scripts and tests use it directly:
`load_site(content_root)` returns every validated record or raises ContentError.
"""

from .problems import ContentError, Problem
from .records import COLLECTIONS, Record
from .site import Site, TranslationPart, load_site, translation_parts, translation_state
from .vocabularies import VOCABULARIES

__all__ = ["COLLECTIONS", "ContentError", "Problem", "Record", "Site", "TranslationPart", "VOCABULARIES",
           "load_site", "translation_parts", "translation_state"]
