"""Open data: tables written as CSV (UTF-8 with BOM), XLSX and JSON, in Japanese and English.

Not a Pelican plugin by itself: collection plugins describe a `Table` and call `write_table`.
"""

from .tables import Column, Table, table_files, write_table

__all__ = ["Column", "Table", "table_files", "write_table"]
