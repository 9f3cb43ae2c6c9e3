#!/usr/bin/env python3
"""Read-only replicas of one index directory behind haproxy, as
docs/scale.md sets them up, all on loopback.

  replicas_test.py TECHMATCH_BINARY EXAMPLES_DATA_DIR

Indexes the sample data; starts a primary `techmatch serve` and two
`techmatch serve --replica` on the same directory, and haproxy (round
robin, health checks on /healthz) in front of the replicas. Checks:
matches through the proxy reach both replicas; a replica refuses writes
(409); a record written to the primary is served through the proxy after
each replica's POST /v1/reload (and after SIGHUP); with one replica
stopped, every request through the proxy still succeeds. Exits 77
(skipped) when haproxy is not installed. Every wait is bounded.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from script_check import SKIP, Tally
from servelib import Server, haproxy_config, index_examples, request

if len(sys.argv) != 3:
    sys.exit(__doc__)
binary, examples = sys.argv[1:3]
haproxy = shutil.which('haproxy') or ('/usr/sbin/haproxy' if os.path.exists('/usr/sbin/haproxy')
                                      else None)
if haproxy is None:
    print('SKIPPED: haproxy is not installed (scripts/bootstrap.sh installs it)')
    sys.exit(SKIP)

tally = Tally()
check = tally.check


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_haproxy(tmp, replica_ports):
    port = free_port()
    cfg = os.path.join(tmp, 'haproxy.cfg')
    with open(cfg, 'w') as f:
        f.write(haproxy_config(port, replica_ports))
    proc = subprocess.Popen([haproxy, '-f', cfg, '-db'], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            st, _ = request(port, 'GET', '/healthz', timeout=2)
            if st == 200:
                return proc, port
        except OSError:
            pass
        time.sleep(0.1)
    proc.kill()
    print(proc.stdout.read().decode(errors='replace'))
    return None, port


def queries_of(port):
    st, body = request(port, 'GET', '/v1/stats')
    return body['server']['queries'] if st == 200 else -1


def match_top(port, text):
    st, body = request(port, 'POST', '/v1/match', {'text': text, 'k': 1, 'explain': False})
    return st, (body['matches'][0]['id'] if st == 200 and body['matches'] else None)


tmp = tempfile.mkdtemp(prefix='techmatch-replicas-')
snap = os.path.join(tmp, 'snap')
index_examples(binary, examples, snap)

primary = Server(binary, snap)
replicas = [Server(binary, snap, '--replica') for _ in range(2)]
proxy = None
try:
    check('primary and two replicas start', primary.port and all(s.port for s in replicas))
    proxy, port = start_haproxy(tmp, [s.port for s in replicas])
    check('haproxy starts and answers /healthz through a replica', proxy is not None)
    if proxy is None or not primary.port or not all(s.port for s in replicas):
        raise SystemExit(tally.summary() or 1)

    before = [queries_of(s.port) for s in replicas]
    answers = [match_top(port, '钒电池电解液低成本制备') for _ in range(20)]
    check('20 matches through the proxy: all 200, the same top supply',
          all(st == 200 for st, _ in answers) and len({top for _, top in answers}) == 1, answers)
    after = [queries_of(s.port) for s in replicas]
    check('round robin: both replicas answered',
          all(a - b >= 5 for a, b in zip(after, before)), (before, after))

    title = '钠离子电池层状氧化物正极材料的低成本制备'
    new = {'id': 'S9400', 'kind': 'supply', 'title': title, 'text': title + '，已中试。'}
    st, body = request(port, 'PUT', '/v1/records', {'records': [new]})
    check('a write through the proxy reaches a replica: 409 read_only_replica',
          st == 409 and body['error']['code'] == 'read_only_replica', body)
    st, body = request(primary.port, 'PUT', '/v1/records', {'records': [new]})
    check('the write to the primary is acknowledged', st == 200, body)
    check('before a reload the replicas do not have it',
          all(match_top(s.port, title)[1] != 'S9400' for s in replicas))
    st0, _ = request(replicas[0].port, 'POST', '/v1/reload', {})
    replicas[1].proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 30
    while time.time() < deadline and match_top(replicas[1].port, title)[1] != 'S9400':
        time.sleep(0.1)
    check('POST /v1/reload on one replica, SIGHUP to the other', st0 == 200)
    tops = [match_top(port, title) for _ in range(10)]
    check('after the reloads every answer through the proxy has the new record',
          all(t == (200, 'S9400') for t in tops), tops)

    code = replicas[0].stop(signal.SIGTERM)
    check('a replica stops cleanly on SIGTERM', code == 0, replicas[0].err)
    answers = [match_top(port, title) for _ in range(20)]
    check('with one replica down, every request through the proxy still succeeds',
          all(a == (200, 'S9400') for a in answers), answers)
finally:
    if proxy is not None:
        proxy.terminate()
        try:
            proxy.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proxy.kill()
    for s in [primary, *replicas]:
        if s.proc.returncode is None:
            s.stop()
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(tally.summary())
