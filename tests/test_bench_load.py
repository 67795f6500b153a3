"""The benchmark's load generator measures real requests against a live server."""

import os
import time

import pytest

from bench import load
from bench.run import server_cpu_seconds


def test_percentiles_are_nearest_rank():
    result = load.Result(
        latencies_ms=[float(n) for n in range(1, 101)], elapsed_s=2.0, errors=[], queries=[3, 3, 4]
    )
    assert (result.percentile(50), result.percentile(95), result.percentile(99)) == (50, 95, 99)
    assert result.summary()["rps"] == 50.0
    assert result.summary()["queries"] == 3


@pytest.mark.django_db(transaction=True)
def test_counts_successes_and_errors_against_a_live_server(live_server):
    paths = ["/login/", "/no-such-page/"]
    result = load.run(
        live_server.url,
        lambda i: load.Request("GET", paths[i % 2]),
        concurrency=2,
        requests_per_connection=4,
    )
    assert len(result.latencies_ms) == 4
    assert len(result.errors) == 4 and "HTTP 404" in result.errors[0]


def test_server_cpu_counts_the_time_a_process_has_used():
    before = server_cpu_seconds(os.getpid())
    started = time.process_time()
    while time.process_time() - started < 0.3:
        sum(range(10_000))
    assert server_cpu_seconds(os.getpid()) - before >= 0.2
