"""Importing the files sellers have: review and order exports as .csv or .xlsx (docs/imports.md).

reader (csv/xlsx rows, encoding) -> headers (normalised names, aliases) -> schemas (row ->
record, with values for ids, dates, money) -> importer (chunks into platforms.pipeline inside one
transaction; rejects) ; kinds holds the registry of importable kinds.
"""
