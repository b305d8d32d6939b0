"""Figures computed from the records: the held series, releases per
period, facet counts, stored figures and their freshness, chart geometry."""
