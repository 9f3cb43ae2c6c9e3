#!/usr/bin/env python3
"""Requests/s of `techmatch serve` read-only replicas behind haproxy
(docs/scale.md), on loopback, measured with wrk.

  replicas_bench.py --cli build/bin/techmatch --index DIR --queries Q.jsonl
                    [--replicas 1,2] [--connections 8] [--seconds 10] [--repeat 3]

DIR is a snapshot directory (`techmatch index`); Q.jsonl has one query per
line with a "text" field (csl-match's queries_dev.jsonl, or demand records
with "title"). Runs, interleaved --repeat times: one server without a proxy
(the baseline), then haproxy (round robin) in front of 1, 2, ... replicas.
Each run POSTs /v1/match ({"text", "k": 10, "explain": false}) cycling
through the queries. Prints a Markdown table (medians over the repeats, and
the ratio to the baseline of the same repeat) and, with --json, the raw
figures. Every process is on 127.0.0.1 and stopped at the end.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests'))
from servelib import Server, haproxy_config, request  # noqa: E402

WRK_SCRIPT = r'''
local bodies = {}
local i = 0
local headers = {["Content-Type"] = "application/json"}
function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  i = math.random(#bodies)
end
function request()
  i = i % #bodies + 1
  return wrk.format("POST", "/v1/match", headers, bodies[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration_us":%d,"errors":%d,"status_errors":%d,' ..
    '"p50_us":%d,"p99_us":%d}\n', summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
'''

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_healthy(port, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if request(port, 'GET', '/healthz', timeout=2)[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def wrk(port, bodies, script, connections, seconds):
    threads = min(2, connections)
    out = subprocess.run(['wrk', f'-t{threads}', f'-c{connections}', f'-d{max(1, round(seconds))}s',
                          '--timeout', '10s', '-s', script, f'http://127.0.0.1:{port}/',
                          '--', bodies], capture_output=True, text=True,
                         timeout=seconds + 60)
    line = [l for l in out.stdout.splitlines() if l.startswith('{"requests"')]
    if out.returncode != 0 or not line:
        raise RuntimeError('wrk failed: ' + out.stdout + out.stderr)
    r = json.loads(line[-1])
    r['rps'] = r['requests'] / (r['duration_us'] / 1e6)
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--cli', required=True)
    ap.add_argument('--index', required=True)
    ap.add_argument('--queries', required=True)
    ap.add_argument('--replicas', default='1,2')
    ap.add_argument('--connections', type=int, default=8)
    ap.add_argument('--seconds', type=float, default=10)
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--json')
    a = ap.parse_args()
    haproxy = shutil.which('haproxy') or '/usr/sbin/haproxy'
    if not os.path.exists(haproxy) or not shutil.which('wrk'):
        print('replicas bench: needs haproxy and wrk (scripts/bootstrap.sh installs them)')
        return 77
    counts = [int(x) for x in a.replicas.split(',')]
    tmp = tempfile.mkdtemp(prefix='techmatch-replicas-bench-')
    bodies = os.path.join(tmp, 'bodies.jsonl')
    with open(a.queries, encoding='utf-8') as f, open(bodies, 'w', encoding='utf-8') as g:
        for line in f:
            if not line.strip():
                continue
            q = json.loads(line)
            text = q.get('text') or q.get('title')
            g.write(json.dumps({'text': text, 'k': 10, 'explain': False},
                               ensure_ascii=False) + '\n')
    script = os.path.join(tmp, 'match.lua')
    with open(script, 'w') as f:
        f.write(WRK_SCRIPT)

    servers = [Server(a.cli, a.index, '--replica') for _ in range(max(counts))]
    proxies = []
    runs = {'direct': []}
    try:
        if not all(s.port for s in servers):
            raise RuntimeError('a replica did not start')
        for n in counts:
            port = free_port()
            cfg = os.path.join(tmp, f'haproxy-{n}.cfg')
            with open(cfg, 'w') as f:
                f.write(haproxy_config(port, [s.port for s in servers[:n]], '1s'))
            proc = subprocess.Popen([haproxy, '-f', cfg, '-db'], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            proxies.append((n, port, proc))
            if not wait_healthy(port):
                raise RuntimeError(f'haproxy in front of {n} replicas did not answer')
            runs[f'haproxy, {n} replica' + ('s' if n > 1 else '')] = []
        # Warm-up, then interleaved repeats so that machine load hits all.
        wrk(servers[0].port, bodies, script, a.connections, 2)
        for _ in range(a.repeat):
            runs['direct'].append(wrk(servers[0].port, bodies, script, a.connections,
                                      a.seconds))
            for n, port, _ in proxies:
                key = f'haproxy, {n} replica' + ('s' if n > 1 else '')
                runs[key].append(wrk(port, bodies, script, a.connections, a.seconds))
    finally:
        for _, _, proc in proxies:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for s in servers:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f'| setup ({a.connections} connections, {a.seconds:g} s x {a.repeat}) '
          '| requests/s | vs direct | p50 ms | p99 ms | errors |')
    print('|---|---:|---:|---:|---:|---:|')
    for key, rs in runs.items():
        ratios = [r['rps'] / d['rps'] for r, d in zip(rs, runs['direct'])]
        print(f"| {key} | {statistics.median(r['rps'] for r in rs):,.0f} "
              f"| {statistics.median(ratios):.2f} "
              f"| {statistics.median(r['p50_us'] for r in rs) / 1000:.2f} "
              f"| {statistics.median(r['p99_us'] for r in rs) / 1000:.2f} "
              f"| {sum(r['errors'] + r['status_errors'] for r in rs)} |")
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(runs, f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
