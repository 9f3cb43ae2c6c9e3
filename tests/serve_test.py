#!/usr/bin/env python3
"""`techmatch serve`, `upsert` and `remove` as a user runs them.

  serve_test.py [--part basic|kill|all] TECHMATCH_BINARY EXAMPLES_DATA_DIR [--kill-rounds N]

On the sample data: indexes it, then (part basic)
  - serve on a free loopback port: /healthz, a match, PUT a record, the next
    match returns it; kill -9; restart: the record is there (the log was
    replayed); DELETE: gone; SIGTERM: clean stop, the log folded into the
    snapshot; a second server on the directory fails naming the first;
    `techmatch upsert` beside a running server fails the same way;
  - `upsert` / `remove` change the snapshot in place, `match` reflects them;
  - (part kill) a kill -9 loop (--kill-rounds, default 20, at most 150 s): a writer PUTs
    records as fast as acknowledgements come, the server is killed at a
    random moment (also during checkpoints: one every 7 writes), restarted,
    and every acknowledged record must be there.
Prints 'N passed, N failed'; exit 1 on any failure.
"""
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time

from script_check import Tally, run as run_cli
from servelib import Server as ServerProcess, index_examples, request

args = sys.argv[1:]


def option(name, default):
    if name not in args:
        return default
    i = args.index(name)
    value = args[i + 1]
    del args[i:i + 2]
    return value


part = option('--part', 'all')  # basic, kill or all
kill_rounds = int(option('--kill-rounds', '20'))
if part not in ('basic', 'kill', 'all') or len(args) != 2:
    print(__doc__)
    sys.exit(2)
binary, examples = args
tally = Tally()
check = tally.check


def run(*args):
    return run_cli(binary, *args)


def Server(index, *extra):
    return ServerProcess(binary, index, *extra)


def record(rid, title):
    return {'id': rid, 'kind': 'supply', 'title': title,
            'text': title + '，可用于储能与新能源汽车领域，已完成中试。', 'maturity': 6,
            'attributes': {'owner': '测试研究院'}}


tmp = tempfile.mkdtemp(prefix='techmatch-serve-')
snap = os.path.join(tmp, 'snap')
index_examples(binary, examples, snap)

def basic():
    # ---- serve: write, kill -9, restart, delete, SIGTERM ----------------------
    s = Server(snap)
    check('serve: prints the port it listens on', s.port is not None)
    if s.port is None:
        s.stop()
        print(s.err)
        sys.exit(1)
    st, body = request(s.port, 'GET', '/healthz')
    check('serve: /healthz', st == 200 and body['records'] == 315, body)
    new = record('S9100', '固态电解质薄膜磁控溅射沉积')
    st, body = request(s.port, 'PUT', '/v1/records', {'records': [new]})
    check('serve: PUT /v1/records', st == 200 and body['created'] == 1, body)
    st, body = request(s.port, 'POST', '/v1/match', {'text': '固态电解质薄膜磁控溅射', 'k': 3})
    check('serve: the next match returns the new record',
          st == 200 and body['matches'][0]['id'] == 'S9100' and
          body['matches'][0]['record']['organization'] == '测试研究院', body)

    # Readers beside the server replay its log: they see the new record.
    r = run('info', '--json', snap)
    check('info beside the server counts the logged record',
          r.returncode == 0 and json.loads(r.out)['stats']['records'] == 316, r.out + r.err)
    demands = os.path.join(tmp, 'fair_demand.jsonl')
    with open(demands, 'w', encoding='utf-8') as f:
        f.write(json.dumps({'id': 'DX1', 'kind': 'demand', 'title': '固态电解质薄膜磁控溅射沉积'},
                           ensure_ascii=False) + '\n')
    out = os.path.join(tmp, 'fair.jsonl')
    r = run('assign', '--index', snap, '--demands', demands, '--k', '3', '--out', out)
    assigned = []
    if r.returncode == 0:
        with open(out, encoding='utf-8') as f:
            assigned = [a['id'] for line in f for a in json.loads(line)['supplies']]
    check('assign beside the server sees the logged record',
          r.returncode == 0 and 'S9100' in assigned, r.out + r.err + str(assigned))

    second = Server(snap)
    check('serve: a second server on the directory fails naming the first',
          second.port is None and second.stop() not in (0, None) and 'in use' in second.err and
          'techmatch serve' in second.err, getattr(second, 'err', ''))
    r = run('upsert', '--index', snap, '--records', os.path.join(examples, 'demand.jsonl'))
    check('upsert beside a running server fails clearly',
          r.returncode == 1 and 'in use' in r.err and 'techmatch serve' in r.err, r.err)

    s.stop(signal.SIGKILL)
    s = Server(snap)
    st, body = request(s.port, 'GET', '/v1/records/supply/S9100')
    check('serve: after kill -9 and restart the acknowledged record is there',
          st == 200 and body['record']['title'] == new['title'], body)
    st, body = request(s.port, 'GET', '/v1/stats')
    check('serve: the restart replayed the log', st == 200 and
          body['index_dir']['replayed_at_start'] == 1, body)
    st, body = request(s.port, 'DELETE', '/v1/records/supply/S9100')
    check('serve: DELETE', st == 200, body)
    st, body = request(s.port, 'POST', '/v1/match', {'text': '固态电解质薄膜磁控溅射', 'k': 3})
    check('serve: the deleted record is gone from matches',
          st == 200 and all(m['id'] != 'S9100' for m in body['matches']), body)
    code = s.stop(signal.SIGTERM)
    check('serve: SIGTERM stops cleanly', code == 0 and 'stopped' in s.err, (code, s.err))
    check('serve: a clean stop leaves an empty log',
          os.path.getsize(os.path.join(snap, 'wal.log')) == 12)

    # ---- upsert / remove in place --------------------------------------------
    extra = os.path.join(tmp, 'extra.jsonl')
    with open(extra, 'w', encoding='utf-8') as f:
        f.write(json.dumps(record('S9200', '钙钛矿叠层电池封装胶膜'), ensure_ascii=False) + '\n')
    r = run('upsert', '--index', snap, '--records', extra)
    check('upsert: exit 0, says what changed', r.returncode == 0 and '1 new' in r.out, r.out + r.err)
    r = run('match', '--index', snap, '--text', '钙钛矿叠层电池封装胶膜', '--k', '1', '--no-explain')
    check('upsert: match sees the record', r.returncode == 0 and '"S9200"' in r.out, r.out + r.err)
    r = run('remove', '--index', snap, '--id', 'supply/S9200', '--id', 'demand/D015')
    check('remove: exit 0', r.returncode == 0 and 'removed 2' in r.out, r.out + r.err)
    r = run('match', '--index', snap, '--text', '钙钛矿叠层电池封装胶膜', '--k', '3', '--no-explain')
    check('remove: match no longer returns it', r.returncode == 0 and '"S9200"' not in r.out, r.out)
    r = run('remove', '--index', snap, '--id', 'supply/NOPE')
    check('remove: an absent record fails naming it', r.returncode == 1 and 'NOPE' in r.err, r.err)
    r = run('remove', '--index', snap, '--id', 'S0001')
    check('remove: KIND/ID required', r.returncode == 1 and 'KIND/ID' in r.err, r.err)
    r = run('upsert', '--index', os.path.join(tmp, 'nowhere'), '--records', extra)
    check('upsert: a missing index directory fails clearly',
          r.returncode == 1 and 'does not exist' in r.err, r.err)


def kill_loop():
    # ---- kill -9 loop ----------------------------------------------------------
    acked = {}  # id -> title
    lost = []
    rounds = 0
    deadline = time.time() + 150
    rng = random.Random(11)
    while rounds < kill_rounds and time.time() < deadline:
        s = Server(snap, '--checkpoint-writes', '7')
        if s.port is None:
            s.stop()
            check(f'kill loop: round {rounds} restarts', False, s.err)
            break
        missing = [rid for rid in acked
                   if request(s.port, 'GET', f'/v1/records/supply/{rid}')[0] != 200]
        lost.extend(missing)
        stop = threading.Event()

        def writer(port, base):
            n = 0
            while not stop.is_set():
                rid = f'K{base}-{n}'
                try:
                    st, _ = request(port, 'PUT', '/v1/records', record(rid, f'批次{base}记录{n}'),
                                    timeout=10)
                except Exception:  # the server was killed mid-request: not acknowledged
                    return
                if st == 200:
                    acked[rid] = True
                n += 1

        t = threading.Thread(target=writer, args=(s.port, rounds))
        t.start()
        time.sleep(rng.uniform(0.05, 0.6))
        s.stop(signal.SIGKILL)
        stop.set()
        t.join()
        rounds += 1
    s = Server(snap)
    missing = [rid for rid in acked if request(s.port, 'GET', f'/v1/records/supply/{rid}')[0] != 200]
    lost.extend(missing)
    s.stop()
    print(f'kill loop: {rounds} rounds, {len(acked)} acknowledged writes, {len(lost)} lost')
    check(f'kill loop: >= {kill_rounds} rounds of kill -9 and restart ran', rounds >= kill_rounds, rounds)
    check('kill loop: writes were acknowledged in it', len(acked) > rounds, len(acked))
    check('kill loop: no acknowledged write lost', not lost, lost[:20])
    r = run('info', snap)
    check('kill loop: the directory still loads', r.returncode == 0, r.err)


if part in ('basic', 'all'):
    basic()
if part in ('kill', 'all'):
    kill_loop()
sys.exit(tally.summary())
