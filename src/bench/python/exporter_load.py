#!/usr/bin/env python3
"""The exporter under load, as issue 13's "Must show" asks: start 'headroom exporter' on loopback, connect
SLOW clients that send an unfinished request header and then wait, run SCRAPES scrapes from CONCURRENCY threads,
and print every scrape's outcome, p50/p99 latency and the exporter's resident memory (VmRSS) before and after.

    python3 src/bench/python/exporter_load.py [--jar target/headroom.jar] [--scrapes 2000] [--concurrency 20] [--slow 50]

It starts the exporter itself and stops it by its PID. Nothing here is a unit test: figures depend on the machine.
"""
import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def scrape(port, token, gzip):
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = {"Authorization": "Bearer " + token}
        if gzip:
            headers["Accept-Encoding"] = "gzip"
        connection.request("GET", "/metrics", headers=headers)
        response = connection.getresponse()
        body = response.read()
        ok = response.status == 200 and len(body) > 0
    except OSError:
        ok = False
    finally:
        connection.close()
    return ok, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", default="target/headroom.jar")
    parser.add_argument("--scrapes", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--slow", type=int, default=50)
    parser.add_argument("--gzip", action="store_true", help="ask for gzip, as Prometheus does")
    parser.add_argument("--java-option", action="append", default=[], help="e.g. -Xmx64m")
    parser.add_argument("--settle", type=int, default=15,
                        help="seconds to wait after the scrapes before reading VmRSS again (the exporter trims its heap every 10 s)")
    args = parser.parse_args()

    port = free_port()
    token = "s3cret"
    exporter = subprocess.Popen(["java", *args.java_option, "-jar", args.jar, "exporter", "--source",
                                 "simulated:h100-training:8", "--listen", f"127.0.0.1:{port}", "--token", token],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        exporter.stdout.readline()  # "serving 8 GPU(s) ..." once it listens
        for _ in range(20):  # a few scrapes so the JIT and the heap settle before the first figure
            scrape(port, token, args.gzip)
        rss_before = rss_kib(exporter.pid)

        slow = []
        for _ in range(args.slow):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")  # no blank line: the header never ends
            slow.append(s)

        latencies, failures, lock = [], [0], threading.Lock()
        remaining = [args.scrapes]

        def worker():
            while True:
                with lock:
                    if remaining[0] == 0:
                        return
                    remaining[0] -= 1
                ok, seconds = scrape(port, token, args.gzip)
                with lock:
                    latencies.append(seconds)
                    if not ok:
                        failures[0] += 1

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        rss_after = rss_kib(exporter.pid)
        for s in slow:
            s.close()

        latencies.sort()
        p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
        print(f"scrapes {len(latencies)}, failed {failures[0]}, concurrency {args.concurrency},"
              f" slow clients {args.slow}, gzip {args.gzip}, {elapsed:.1f} s")
        print(f"latency p50 {p(0.50):.1f} ms, p99 {p(0.99):.1f} ms, max {latencies[-1] * 1000:.1f} ms,"
              f" mean {statistics.mean(latencies) * 1000:.1f} ms")
        time.sleep(args.settle)
        print(f"VmRSS before {rss_before / 1024:.0f} MiB, right after {rss_after / 1024:.0f} MiB,"
              f" {args.settle} s later {rss_kib(exporter.pid) / 1024:.0f} MiB, peak {rss_kib(exporter.pid, 'VmHWM') / 1024:.0f} MiB")
        return 0 if failures[0] == 0 else 1
    finally:
        exporter.terminate()
        try:
            _, err = exporter.communicate(timeout=10)
            if err.strip():
                print("exporter stderr:\n" + err, file=sys.stderr)
        except subprocess.TimeoutExpired:
            exporter.kill()


if __name__ == "__main__":
    sys.exit(main())
