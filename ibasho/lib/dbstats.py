"""Table statistics for the query planner."""

from django.db import connections


def refresh_planner_statistics(using: str = "default") -> None:
    """Give the query planner fresh statistics. Without them SQLite starts the Today queue from
    every due item of the organisation instead of the worker's own cases: 6 ms instead of
    0.2 ms for its count at prefecture scale. PostgreSQL's autovacuum keeps its own up to date;
    after a bulk load it is told at once, and (outside a transaction) the new rows are marked
    visible too, so that queries answered from an index alone need not visit the table: the
    fiscal-year report's scan of one organisation's contacts took 480 ms instead of 90 ms
    before."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # A sample of each index is enough for the planner and keeps this well under a
            # second on millions of rows.
            cursor.execute("PRAGMA analysis_limit=1000")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")
