"""A small closed-loop HTTP load generator: N connections, each sending its next request as
soon as the last one answered. Standard library only, so it measures the server, not a client
framework."""

import http.client
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

QUERY_HEADER = "X-Ibasho-Queries"


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    latencies_ms: list[float]
    elapsed_s: float
    errors: list[str]
    queries: list[int]

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.elapsed_s if self.elapsed_s else 0.0

    def summary(self) -> dict[str, float | int]:
        return {
            "requests": len(self.latencies_ms),
            "errors": len(self.errors),
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "rps": round(self.rps, 1),
            "queries": int(statistics.median(self.queries)) if self.queries else -1,
        }


def run(
    base_url: str,
    make_request: Callable[[int], Request],
    *,
    concurrency: int,
    requests_per_connection: int,
    max_seconds: float = 120.0,
) -> Result:
    """Send `requests_per_connection` requests on each of `concurrency` keep-alive connections
    (stopping early after `max_seconds`)."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port
    latencies: list[float] = []
    queries: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def worker(slot: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        for i in range(requests_per_connection):
            if time.monotonic() > deadline:
                break
            req = make_request(slot * requests_per_connection + i)
            started = time.perf_counter()
            try:
                conn.request(req.method, req.path, body=req.body, headers=req.headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{req.path}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
                continue
            took = (time.perf_counter() - started) * 1000
            with lock:
                if response.status >= 400:
                    errors.append(f"{req.method} {req.path}: HTTP {response.status}")
                else:
                    latencies.append(took)
                    count = response.getheader(QUERY_HEADER)
                    if count is not None:
                        queries.append(int(count))
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(latencies, time.perf_counter() - started, errors, queries)
