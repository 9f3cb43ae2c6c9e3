#!/usr/bin/env python3
"""`python3 -m techmatch.dask_match` on a LocalCluster of 2 worker processes
gives what single-process `techmatch match --records` gives.

  dask_match_test.py BUILD_PYTHON_DIR TECHMATCH_BINARY EXAMPLES_DATA_DIR

Indexes examples/data with the CLI, matches demand.jsonl (k 10, with
explanations) with the CLI and with dask_match (--scheduler local --workers
2, partitions of 4 demands so that both workers get some), and compares
line by line: same query ids, same match ids in the same order, every
number within 1e-6, everything else equal. Exits 77 (skipped) when the
module was not built or dask/distributed are not installed. Every
subprocess has a timeout.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

from script_check import SKIP, Tally

python_dir, binary, examples = (os.path.abspath(a) for a in sys.argv[1:4])
if not os.path.isfile(os.path.join(python_dir, 'techmatch', '__init__.py')):
    print(f'techmatch Python module not built in {python_dir}: skipped')
    sys.exit(SKIP)
try:
    import dask  # noqa: F401
    import distributed  # noqa: F401
except ImportError as e:
    print(f'dask/distributed not installed ({e}): skipped')
    sys.exit(SKIP)

tally = Tally()
check = tally.check


def same(a, b, path='$'):
    """'' if a and b are equal (numbers within 1e-6), else where not."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return f'{path}: keys {list(a)} != {list(b)}'
        for k in a:
            d = same(a[k], b[k], f'{path}.{k}')
            if d:
                return d
        return ''
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f'{path}: {len(a)} != {len(b)} items'
        for i, (x, y) in enumerate(zip(a, b)):
            d = same(x, y, f'{path}[{i}]')
            if d:
                return d
        return ''
    numbers = (int, float)
    if (isinstance(a, numbers) and isinstance(b, numbers) and
            not isinstance(a, bool) and not isinstance(b, bool)):
        return '' if math.isclose(a, b, rel_tol=0, abs_tol=1e-6) else f'{path}: {a} != {b}'
    return '' if a == b else f'{path}: {a!r} != {b!r}'


env = dict(os.environ, PYTHONPATH=python_dir + os.pathsep + os.environ.get('PYTHONPATH', ''))
demands = os.path.join(examples, 'demand.jsonl')
with tempfile.TemporaryDirectory(prefix='techmatch-dask-') as tmp:
    snap = os.path.join(tmp, 'snap')
    r = subprocess.run([binary, 'index', '--records', os.path.join(examples, 'supply.jsonl'),
                        '--records', demands, '--dict', os.path.join(examples, 'tech_terms.txt'),
                        '--out', snap], capture_output=True, text=True, timeout=300)
    check('techmatch index', r.returncode == 0, r.stderr)
    r = subprocess.run([binary, 'match', '--index', snap, '--records', demands, '--k', '10',
                        '--no-details'],
                       capture_output=True, text=True, timeout=300)
    check('techmatch match --records', r.returncode == 0, r.stderr)
    want = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]

    out = os.path.join(tmp, 'dask.jsonl')
    r = subprocess.run([sys.executable, '-m', 'techmatch.dask_match', '--index', snap,
                        '--demands', demands, '--k', '10', '--scheduler', 'local',
                        '--workers', '2', '--partition-size', '4', '--out', out],
                       capture_output=True, text=True, timeout=300, env=env)
    print(r.stderr.strip()[-3000:])
    check('dask_match: exit 0', r.returncode == 0, r.stderr)
    check('dask_match: reports 15 demands on 2 workers',
          '15 demands in 4 partitions' in r.stderr and 'on 2 workers' in r.stderr, r.stderr)
    got = []
    if os.path.isfile(out):
        with open(out, encoding='utf-8') as f:
            got = [json.loads(line) for line in f if line.strip()]
    check('one line per demand', len(got) == len(want) == 15, (len(got), len(want)))
    check('same query ids in demand order',
          [g['query_id'] for g in got] == [w['query_id'] for w in want])
    check('same match ids in the same order',
          [[m['id'] for m in g['matches']] for g in got] ==
          [[m['id'] for m in w['matches']] for w in want])
    diffs = [d for d in (same(g, w) for g, w in zip(got, want)) if d]
    check('same content (numbers within 1e-6)', not diffs, diffs[:3])
    check('explanations present', all('explanation' in m for g in got for m in g['matches']))

    # A bad demands file fails before any cluster starts, naming the line.
    bad = os.path.join(tmp, 'bad.jsonl')
    with open(bad, 'w', encoding='utf-8') as f:
        f.write('{"id": "D1", "kind": "demand", "text": "x"}\n{"id": \n')
    r = subprocess.run([sys.executable, '-m', 'techmatch.dask_match', '--index', snap,
                        '--demands', bad, '--scheduler', 'local', '--out', out],
                       capture_output=True, text=True, timeout=120, env=env)
    check('bad demands: exit 1 naming the line',
          r.returncode == 1 and 'bad.jsonl:2' in r.stderr, r.stderr)

sys.exit(tally.summary())
