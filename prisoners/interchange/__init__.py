"""The interchange format: CSV files that carry records in and out.

The contract is docs/interchange.md (shared/interchange.md): ``columns`` holds
its columns and how each cell reads and writes, ``reading`` turns uploaded bytes
into numbered records, ``importer`` checks and writes them, ``exporter`` streams
them back out.
"""
