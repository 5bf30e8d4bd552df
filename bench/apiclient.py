#!/usr/bin/env python3
"""Tiny client of keystone-console's local API for the benchmarks (python3 standard library, keep-alive).

usage: apiclient.py API_URL TOKEN register IDS_FILE NAME=PATH...   registers episodes, appends their ids
       apiclient.py API_URL TOKEN wait IDS_FILE [TIMEOUT_S]         waits until all are completed; prints seconds
       apiclient.py API_URL TOKEN ids-query IDS_FILE                 prints "1,2,3,…" (for the batch URL)
       apiclient.py API_URL TOKEN command-latency ID STOP_FILE        repeats an engine command (enqueue of ID,
                    a completed episode: answered 409 by the engine thread) until STOP_FILE exists; prints
                    "count p50_ms p99_ms max_ms"
       apiclient.py API_URL TOKEN wait-uploading IDS_FILE [TIMEOUT_S] waits until all are in progress
       apiclient.py API_URL TOKEN synced-max IDS_FILE ORIGIN          latest synced_at, seconds after ORIGIN
       apiclient.py API_URL TOKEN synced-each IDS_FILE ORIGIN         each one's synced_at, "s1,s2,…"
"""
import http.client
import json
import sys
import time
import urllib.parse
from datetime import datetime


class Api:
    def __init__(self, url, token):
        parts = urllib.parse.urlsplit(url)
        self.base = parts.path.rstrip("/")
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method, path, body=None):
        self.conn.request(method, self.base + path, body=json.dumps(body) if body is not None else None,
                          headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status >= 300:
            sys.exit(f"apiclient: {method} {path} -> {response.status} {data[:300]!r}")
        return json.loads(data) if data else None


def statuses(api, ids):
    for i in range(0, len(ids), 1000):
        chunk = ",".join(map(str, ids[i:i + 1000]))
        yield from api.call("GET", f"/sync/episode-statuses?ids={chunk}")["items"]


def synced_after(api, ids, origin):
    """Seconds from ORIGIN (epoch seconds) to each episode's cloud.synced_at, in id order."""
    times = []
    for item in statuses(api, ids):
        synced = datetime.fromisoformat(item["cloud"]["synced_at"].replace("Z", "+00:00"))
        times.append(synced.timestamp() - origin)
    return times


def read_ids(path):
    with open(path) as f:
        return [int(line) for line in f if line.strip()]


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    api = Api(sys.argv[1], sys.argv[2])
    command, ids_file = sys.argv[3], sys.argv[4]
    if command == "register":
        with open(ids_file, "a") as out:
            for item in sys.argv[5:]:
                name, _, path = item.partition("=")
                status = api.call("POST", "/episodes", {"name": name, "path": path})
                out.write(f"{status['episode_id']}\n")
    elif command == "wait":
        ids = read_ids(ids_file)
        timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 600
        start = time.monotonic()
        while True:
            pending = []
            for i in range(0, len(ids), 1000):
                chunk = ",".join(map(str, ids[i:i + 1000]))
                answer = api.call("GET", f"/sync/episode-statuses?ids={chunk}")
                for item in answer["items"]:
                    if item["status"] in ("failed", "cancelled"):
                        sys.exit(f"apiclient: episode {item['episode_id']} {item['status']}: {item['last_error']}")
                    if item["status"] != "completed":
                        pending.append(item["episode_id"])
            if not pending:
                print(f"{time.monotonic() - start:.2f}")
                return
            if time.monotonic() - start > timeout:
                sys.exit(f"apiclient: {len(pending)} episodes not completed after {timeout} s")
            time.sleep(0.2)  # polling the API is the only way to learn completion; 5 light requests a second
    elif command == "command-latency":
        import os
        episode, stop_file = int(sys.argv[4]), sys.argv[5]
        times = []
        while not os.path.exists(stop_file):
            start = time.monotonic()
            api.conn.request("POST", f"{api.base}/sync/episodes/{episode}", headers=api.headers)
            api.conn.getresponse().read()
            times.append((time.monotonic() - start) * 1000)
            time.sleep(0.01)
        times.sort()
        pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] if times else float("nan")
        print(f"{len(times)} {pick(0.5):.2f} {pick(0.99):.2f} {times[-1] if times else float('nan'):.2f}")
    elif command == "wait-uploading":
        ids = read_ids(ids_file)
        timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 60
        start = time.monotonic()
        while not all(item["status"] == "in_progress" for item in statuses(api, ids)):
            if time.monotonic() - start > timeout:
                sys.exit(f"apiclient: episodes not uploading after {timeout} s")
            time.sleep(0.2)
    elif command in ("synced-max", "synced-each"):
        times = synced_after(api, read_ids(ids_file), float(sys.argv[5]))
        print(f"{max(times):.1f}" if command == "synced-max" else ",".join(f"{t:.1f}" for t in times))
    elif command == "ids-query":
        print(",".join(map(str, read_ids(ids_file))))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
