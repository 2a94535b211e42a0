"""Load benchmark of `storytrace serve`: 50 concurrent clients on loopback for 30 s.

A store of 2,000 articles is generated from ECB+ sentences (bench/corpus.py: originals plus
planted exact copies, near copies and related articles) and ingested: `storytrace ingest` groups
and analyses every story with analyze's pipeline (that cost is printed separately; pages only read
stored analyses). A sample of stories with more than one version is served. The server then runs in a child
process (`storytrace serve`, one uvicorn process) and 50 clients (asyncio + httpx, in this
process) request story pages and pair pages of those stories as fast as they can for 30 s.

Prints requests/s, p50/p90/p99/max latency and the error count (non-200 or transport error).
Target (issue 6): 0 errors, p99 under 500 ms. Loopback only; bounded in time.

Usage: .venv/bin/python bench/web.py [--articles 2000] [--clients 50] [--seconds 30] [--stories 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_articles, ecb_absent, published_at

ROOT = Path(__file__).resolve().parents[1]
OUTLETS = [
    "Daily Wire Service",
    "Northern Ledger",
    "Metro Times",
    "Coastal Herald",
    "Capital Report",
    "Valley News",
]


def generate(path: Path, count: int) -> None:
    rng = random.Random(6)
    with path.open("w", encoding="utf-8") as handle:
        for i, art in enumerate(corpus_articles(count)):
            first = art.text.split("\n", 1)[0]
            record = {
                "id": art.id,
                "title": " ".join(first.split()[:12]),
                "source": rng.choice(OUTLETS),
                "published": published_at(i),
                "text": art.text,
            }
            handle.write(json.dumps(record) + "\n")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, url: str) -> int:
    """One HTTP/1.1 keep-alive GET; returns the status (the body is read and dropped)."""
    writer.write(f"GET {url} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def load(
    host: str, port: int, urls: list[str], clients: int, seconds: float
) -> tuple[list[float], int, list[str]]:
    """``clients`` concurrent keep-alive connections, each requesting random ``urls`` until time is up.
    A minimal asyncio HTTP client: httpx spent more CPU than the server on this 2-core machine."""
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.perf_counter() + seconds

    async def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while time.perf_counter() < stop:
            url = rng.choice(urls)
            t0 = time.perf_counter()
            try:
                if conn is None:
                    conn = await asyncio.open_connection(host, port)
                status = await asyncio.wait_for(_get(*conn, f"{host}:{port}", url), timeout=30)
                if status != 200:
                    errors.append(f"{status} {url}")
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as err:
                errors.append(f"{type(err).__name__} {url}")
                if conn is not None:
                    conn[1].close()
                conn = None
            latencies.append(time.perf_counter() - t0)
        if conn is not None:
            conn[1].close()

    await asyncio.gather(*(worker(k) for k in range(clients)))
    return latencies, len(errors), errors[:5]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--stories", type=int, default=60, help="multi-version stories to serve")
    parser.add_argument("--keep", metavar="DIR", help="keep the corpus and the store here")
    args = parser.parse_args()
    if ecb_absent():
        return 0
    from storytrace.corpus.ingest import ingest
    from storytrace.web.service import StoryService

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        corpus, db = work / "corpus.jsonl", work / "store.db"
        t0 = time.perf_counter()
        generate(corpus, args.articles)
        print(f"generated {args.articles:,} articles in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        summary = ingest([corpus], db)
        print(
            f"ingested: {summary.articles:,} articles in {summary.stories:,} stories ({time.perf_counter() - t0:.1f} s)"
        )

        if summary.update is not None:
            print(f"  {summary.update}")
        service = StoryService(db)
        rows, total, _ = service.list_stories(min_sources=2, limit=100_000)
        rng = random.Random(1)
        chosen = sorted(rng.sample([str(r["id"]) for r in rows], min(args.stories, len(rows))))
        print(f"{total:,} stories with 2+ sources; serving {len(chosen)} of them (analysed at ingest)")
        urls = []
        for story in chosen:
            view = service.story(story).view or {"pairs": []}
            urls.append(f"/stories/{story}")
            urls += [f"/stories/{story}/pair?a={p['source']}&b={p['target']}" for p in view["pairs"]]
        service.store().close()
        pages = sum(1 for u in urls if "/pair?" in u)
        print(f"{len(urls)} URLs: {len(urls) - pages} story pages, {pages} pair pages")

        port = free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        server = subprocess.Popen(
            [sys.executable, "-m", "storytrace.cli", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/api/stories?limit=1", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the server did not start:", server.stderr.read().decode() if server.stderr else "")
                    return 1
                time.sleep(0.2)
            asyncio.run(load("127.0.0.1", port, urls, 8, 3.0))  # warm up: render each page once
            t_cpu = _cpu_seconds(server.pid)
            latencies, errors, examples = asyncio.run(
                load("127.0.0.1", port, urls, args.clients, args.seconds)
            )
            server_cpu = _cpu_seconds(server.pid) - t_cpu
            listing = {}
            with httpx.Client(base_url=base, timeout=30) as client:  # one client, after the load
                for name, url in (("story list", "/"), ("search 'police'", "/?q=police"),
                                  ("search + 2 sources", "/?q=police+arrested&min_sources=2")):  # fmt: skip
                    times = []
                    for _ in range(20):
                        t0 = time.perf_counter()
                        client.get(url).raise_for_status()
                        times.append(time.perf_counter() - t0)
                    listing[name] = 1000 * float(np.median(times))
        finally:
            server.terminate()
            server.wait(10)
        lat = np.asarray(latencies) * 1000
        print(
            f"\n{args.clients} clients, {args.seconds:.0f} s, story and pair pages of {len(chosen)} analysed stories "
            f"in a store of {summary.articles:,} articles:"
        )
        print(f"  requests: {len(lat):,} ({len(lat) / args.seconds:.0f} requests/s)")
        print(
            f"  latency ms: p50 {np.percentile(lat, 50):.0f}, p90 {np.percentile(lat, 90):.0f}, "
            f"p99 {np.percentile(lat, 99):.0f}, max {lat.max():.0f}"
        )
        print(f"  errors: {errors}" + (f" (e.g. {examples})" if examples else ""))
        print(
            f"  server CPU: {server_cpu:.1f} s in {args.seconds:.0f} s ({1000 * server_cpu / max(len(lat), 1):.2f} ms per request); "
            f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print("  one client, median of 20: " + ", ".join(f"{k} {v:.0f} ms" for k, v in listing.items()))
        ok = errors == 0 and np.percentile(lat, 99) < 500
        print(f"  target (0 errors, p99 < 500 ms): {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
