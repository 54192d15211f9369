#!/usr/bin/env python3
"""What open inbox pages cost one API node: CPU and memory of the node while requests arrive, first with no page
open, then with PAGES pages, each holding /inbox/events open and reading /inbox/requests again on its events (at
most once a second), as the inbox page does. Loopback only; stops by itself.

    python3 tests/inbox-pages.py http://127.0.0.1:8000 PID [--pages 200] [--rate 20] [--seconds 60] [--key KEY]

PID is the node's process id (its CPU time and resident memory are read from /proc). The topic 'sales' must have a
route (a console route keeps deliveries quick: Routing__Topics__sales__0=console).
"""
import argparse, asyncio, json, os, time
from urllib.parse import urlparse

parser = argparse.ArgumentParser()
parser.add_argument("url"); parser.add_argument("pid", type=int)
parser.add_argument("--pages", type=int, default=200); parser.add_argument("--rate", type=float, default=20)
parser.add_argument("--seconds", type=float, default=60); parser.add_argument("--key", default=None)
args = parser.parse_args()
target = urlparse(args.url)
key = f"X-Api-Key: {args.key}\r\n" if args.key else ""
ticks = os.sysconf("SC_CLK_TCK")

def cpu_seconds():
    fields = open(f"/proc/{args.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks

def rss_mb():
    for line in open(f"/proc/{args.pid}/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1]) / 1024

async def call(connection, method, path, body=b"", accept="application/json"):
    """One request on a kept-alive connection; the answer's body is read to its end (by its length, or chunk by chunk)."""
    reader, writer = connection
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: {target.netloc}\r\nAccept: {accept}\r\n{key}"
                 f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lengths = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
    if lengths:
        await reader.readexactly(lengths[0])
        return
    while size := int((await reader.readline()).strip(), 16):  # chunked
        await reader.readexactly(size + 2)
    await reader.readline()

async def submit(seconds):
    connection = await asyncio.open_connection(target.hostname, target.port)
    sent, start = 0, time.monotonic()
    while time.monotonic() - start < seconds:
        await call(connection, "POST", "/assistance-requests", json.dumps({"topic": "sales", "description": f"measured {sent}"}).encode())
        sent += 1
        await asyncio.sleep(max(0, start + sent / args.rate - time.monotonic()))
    connection[1].close()
    return sent

counts = {"events": 0, "resets": 0, "reads": 0}

async def page(opened):
    reader, writer = await asyncio.open_connection(target.hostname, target.port)
    snapshot = await asyncio.open_connection(target.hostname, target.port)
    writer.write(f"GET /inbox/events HTTP/1.1\r\nHost: {target.netloc}\r\nAccept: text/event-stream\r\n{key}\r\n".encode())
    await writer.drain()
    await reader.readuntil(b"\r\n\r\n")
    opened.release()
    last_read, wanted = 0.0, False
    while True:
        try:
            line = await asyncio.wait_for(reader.readline(), 0.25)
        except asyncio.TimeoutError:
            line = b""
        if line.startswith(b"event: "):  # chunked framing lines and data lines pass by
            counts["resets" if line.startswith(b"event: reset") else "events"] += 1
            wanted = True
        if wanted and time.monotonic() - last_read >= 1:
            last_read, wanted = time.monotonic(), False
            await call(snapshot, "GET", "/inbox/requests")
            counts["reads"] += 1

async def measure(label):
    cpu, wall = cpu_seconds(), time.monotonic()
    sent = await submit(args.seconds)
    used, elapsed = cpu_seconds() - cpu, time.monotonic() - wall
    print(f"{label}: {sent / elapsed:.1f} requests/s, node CPU {100 * used / elapsed:.1f}% of one core, resident {rss_mb():.0f} MB", flush=True)

async def main():
    await measure("no page open")
    opened = asyncio.Semaphore(0)
    pages = [asyncio.create_task(page(opened)) for _ in range(args.pages)]
    for _ in pages: await opened.acquire()
    await asyncio.sleep(2)
    print(f"{args.pages} pages open, idle: resident {rss_mb():.0f} MB", flush=True)
    await measure(f"{args.pages} pages open")
    print(f"the pages received {counts['events']} events and {counts['resets']} resets (a page too slow to read them), "
          f"and read the inbox {counts['reads']} times")
    for task in pages: task.cancel()

asyncio.run(main())
