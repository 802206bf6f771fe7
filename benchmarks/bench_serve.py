"""Load on `talentflow serve`: requests per second and latency percentiles at 10 and 200 concurrent
clients over the main API endpoints and pages, for 1 and 2 worker processes, with the answer cache
(readers asking what others asked since the last write) and without it (every answer computed).

    python benchmarks/bench_serve.py [REQUESTS] [WORKERS...]   (default 2000 requests; 1 2 workers)

It builds the sample database (the bundled articles and a cohort), starts the server on 127.0.0.1
on a free port, and sends a bounded number of requests with httpx; nothing leaves this machine."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "talentflow" / "data" / "samples"
COHORT = ROOT / "src" / "talentflow" / "data" / "cohorts" / "openai-2024.txt"
PATHS = [
    "/api/home", "/api/moves?org=Meta&limit=50", "/api/moves?since=2025&undated=include", "/api/flows",
    "/api/flows/net?a=OpenAI&b=Meta&since=2025", "/api/orgs/OpenAI/alumni", "/api/orgs/Meta/sankey",
    "/api/people/Andrej%20Karpathy", "/api/search?q=meta", "/api/cohorts/openai-2024",
    "/", "/org/Meta", "/org/OpenAI?since=2025", "/person/Shengjia%20Zhao", "/move/1", "/cohort/openai-2024",
]
CONCURRENCY = (10, 200)


def _talentflow(*args: str) -> None:
    subprocess.run([sys.executable, "-c", "from talentflow.cli import app; app()", *args], check=True,
                   stdout=subprocess.DEVNULL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _load(base: str, requests: int, concurrency: int) -> tuple[float, list[float], int]:
    """``requests`` GETs spread over ``concurrency`` keep-alive connections; (seconds, latencies,
    errors). A lean HTTP/1.1 client on asyncio streams: httpx's pool costs more CPU than the server
    at 200 connections on two cores, and would measure itself."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0
    queue = iter(range(requests))

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for i in queue:
                started = time.perf_counter()
                try:
                    writer.write(f"GET {PATHS[i % len(PATHS)]} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                    status, length = await _response_head(reader)
                    await reader.readexactly(length)
                    if status != 200:
                        errors += 1
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                latencies.append(time.perf_counter() - started)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies, errors


async def _response_head(reader: asyncio.StreamReader) -> tuple[int, int]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    length = next((int(line.split(":", 1)[1]) for line in head[1:] if line.lower().startswith("content-length:")), 0)
    return status, length


def _percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    workers = [int(w) for w in sys.argv[2:]] or [1, 2]
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "serve.db")
        _talentflow("ingest", str(SAMPLES), "--db", db)
        _talentflow("cohort", "create", "openai-2024", "--from-file", str(COHORT), "--org", "OpenAI", "--db", db)
        print(f"{requests} requests per run over {len(PATHS)} endpoints and pages; {os.cpu_count()} cores")
        print(f"{'cache':>5} {'workers':>7} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'errors':>6}")
        for cache, count in [(cache, count) for cache in ("on", "off") for count in workers]:
            port = _free_port()
            env = dict(os.environ, TALENTFLOW_CACHE_MB="64" if cache == "on" else "0")
            server = subprocess.Popen([sys.executable, "-c", "from talentflow.cli import app; app()", "serve",
                                       "--db", db, "--port", str(port), "--workers", str(count)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            base = f"http://127.0.0.1:{port}"
            try:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    try:
                        if httpx.get(base + "/api/home", timeout=2).status_code == 200:
                            break
                    except httpx.HTTPError:
                        time.sleep(0.3)
                asyncio.run(_load(base, len(PATHS) * 4, 4))  # warm every worker's caches
                for clients in CONCURRENCY:
                    seconds, latencies, errors = asyncio.run(_load(base, requests, clients))
                    ms = [x * 1000 for x in latencies]
                    print(f"{cache:>5} {count:>7} {clients:>7} {requests / seconds:>8.0f} {_percentile(ms, 50):>8.0f} "
                          f"{_percentile(ms, 95):>8.0f} {_percentile(ms, 99):>8.0f} {errors:>6}", flush=True)
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
