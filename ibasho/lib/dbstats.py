"""Table statistics for the query planner."""

from django.db import connections


def refresh_planner_statistics(using: str = "default") -> None:
    """Give the query planner fresh statistics. Without them SQLite starts the Today queue from
    every due item of the organisation instead of the worker's own cases: 6 ms instead of
    0.2 ms for its count at prefecture scale. PostgreSQL's autovacuum keeps its own up to date;
    after a bulk load it is told at once."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # A sample of each index is enough for the planner and keeps this well under a
            # second on millions of rows.
            cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")
