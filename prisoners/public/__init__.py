"""What the public sees: pages, feeds, CSV exports, sitemaps, citation and
the page cache."""
