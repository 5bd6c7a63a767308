#!/usr/bin/env python3
"""An open-loop load at a fixed rate, as wrk2 makes it (wrk2 is not in Debian's packages): request i is
due at start + i / RATE whatever the answers before it did, and its latency is counted from when it was
due, not from when it was sent, so a server that falls behind is charged for the wait (no coordinated
omission) — and the client's own timer slack too (asyncio wakes up to a millisecond late), so the
figures are upper bounds. The requests go round CONNECTIONS keep-alive connections over HTTP/1.1.

    fixed_rate.py URL BODY.json RATE SECONDS [CONNECTIONS (8)]

Prints one line: the rate asked and achieved, the answers by status, and p50 / p90 / p99 / p99.9 / max
latency in milliseconds.
"""
import asyncio
import json
import sys
import time
from urllib.parse import urlparse


async def worker(k, connections, host, port, path, body, rate, count, start, latencies, statuses):
    reader, writer = await asyncio.open_connection(host, port)
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    for i in range(k, count, connections):
        due = start + i / rate
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        writer.write(head + body)
        await writer.drain()
        status_line = await reader.readline()
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - due)
        status = status_line.split()[1].decode() if len(status_line.split()) > 1 else "none"
        statuses[status] = statuses.get(status, 0) + 1
    writer.close()


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


async def main(url, body_path, rate, seconds, connections):
    u = urlparse(url)
    body = open(body_path, "rb").read()
    json.loads(body)  # a malformed body here would measure the server's refusals
    count = int(rate * seconds)
    latencies, statuses = [], {}
    start = time.perf_counter() + 0.2
    await asyncio.gather(*[worker(k, connections, u.hostname, u.port, u.path, body, rate, count, start,
                                  latencies, statuses) for k in range(connections)])
    elapsed = time.perf_counter() - start
    ms = sorted(v * 1000 for v in latencies)
    marks = " ".join(f"p{label} {percentile(ms, q):.2f}" for label, q in
                     (("50", 0.50), ("90", 0.90), ("99", 0.99), ("99.9", 0.999)))
    print(f"asked {rate:.0f} req/s for {seconds:.0f} s over {connections} connections: achieved "
          f"{len(latencies) / elapsed:.0f} req/s; status {dict(sorted(statuses.items()))}; "
          f"latency ms {marks} max {ms[-1]:.2f}")


if __name__ == "__main__":
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]),
                     int(sys.argv[5]) if len(sys.argv) == 6 else 8))
