"""The interchange format: CSV files that carry records in and out.

The contract is docs/interchange.md (shared/interchange.md): ``columns`` holds
its columns and how each cell reads and writes, ``reading`` turns uploaded bytes
into numbered records (a CSV, or a spreadsheet read by ``sheets``; a file
with its own headers through a ``mapping``, its values converted by
``values``), ``importer`` checks and writes them, ``exporter`` streams
them back out.
"""
