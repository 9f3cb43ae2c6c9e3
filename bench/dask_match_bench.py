#!/usr/bin/env python3
"""Times batch matching on Dask against the single-process CLI (docs/scale.md).

  bench/dask_match_bench.py --cli build/bin/techmatch --python-dir build/python \\
      --corpus ../shared/data/csl-match/corpus.jsonl \\
      --queries ../shared/data/csl-match/queries_dev.jsonl [--workers 1,2] [--k 10] \\
      [--records N] [--first N] [--json]

Indexes the corpus with `techmatch index` (csl-match's category/discipline
labels become the category path; --index reuses a snapshot), turns the
queries into free-text demand records ({"id", "kind": "demand", "text"}),
then matches them (1) with `techmatch match --records` on 1 and 2 threads
and (2) with `python3 -m techmatch.dask_match --scheduler local` for each
--workers count, checks that every Dask output equals the CLI's (same ids
in the same order, numbers within 1e-6), and prints a Markdown table of the
wall times (--json: one JSON object instead, which `techmatch-bench dask`
passes on to the BENCHMARKS.md report). --records and --first take the
first N corpus records and queries (smoke runs). Run it with the Python the module was built for (Debian's
/usr/bin/python3, which has python3-dask). Bounded: every subprocess has a
timeout.
"""
import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


def run(cmd, env=None, timeout=3600):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f'failed ({r.returncode}): {" ".join(cmd)}\n{r.stderr[-3000:]}')
    return r, wall


def lines_of(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def differs(a, b):
    if isinstance(a, dict):
        return list(a) != list(b) or any(differs(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) != len(b) or any(differs(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return not math.isclose(a, b, rel_tol=0, abs_tol=1e-6)
    return a != b


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--cli', required=True)
    p.add_argument('--python-dir', required=True)
    p.add_argument('--corpus', required=True)
    p.add_argument('--queries', required=True)
    p.add_argument('--index', help='an existing snapshot of the corpus')
    p.add_argument('--workers', default='1,2')
    p.add_argument('--k', type=int, default=10)
    p.add_argument('--records', type=int, default=0, help='first N corpus records (0 = all)')
    p.add_argument('--first', type=int, default=0, help='first N queries (0 = all)')
    p.add_argument('--json', action='store_true', help='print one JSON object')
    args = p.parse_args()
    if args.index and args.records:
        sys.exit('--records builds its own index: not with --index')
    env = dict(os.environ, PYTHONPATH=os.path.abspath(args.python_dir))
    tmp = tempfile.mkdtemp(prefix='techmatch-dask-bench-')
    rows = []
    runs = []  # the --json form of rows

    corpus = args.corpus
    records = 0
    if args.records:
        corpus = os.path.join(tmp, 'corpus.jsonl')
        with open(args.corpus, encoding='utf-8') as f, open(corpus, 'w', encoding='utf-8') as out:
            for line in f:
                if records == args.records:
                    break
                if line.strip():
                    out.write(line)
                    records += 1
    index = args.index
    if not index:
        index = os.path.join(tmp, 'index')
        _, wall = run([args.cli, 'index', '--records', corpus,
                       '--map', 'categories=category/discipline', '--out', index])
        rows.append(('techmatch index (corpus)', f'{wall:.1f}', '', ''))
        runs.append({'run': 'index', 'wall_s': wall})
        if not records:
            with open(corpus, encoding='utf-8') as f:
                records = sum(1 for line in f if line.strip())
    demands = os.path.join(tmp, 'demands.jsonl')
    with open(args.queries, encoding='utf-8') as f, \
            open(demands, 'w', encoding='utf-8') as out:
        n = 0
        for line in f:
            if args.first and n == args.first:
                break
            if line.strip():
                q = json.loads(line)
                out.write(json.dumps({'id': q['id'], 'kind': 'demand', 'text': q['text']},
                                     ensure_ascii=False) + '\n')
                n += 1

    reference = None
    for threads in (1, 2):
        out = os.path.join(tmp, f'cli-{threads}.jsonl')
        r, wall = run([args.cli, 'match', '--index', index, '--records', demands, '--no-details',
                       '--k', str(args.k), '--threads', str(threads)])
        with open(out, 'w', encoding='utf-8') as f:
            f.write(r.stdout)
        if reference is None:
            reference = lines_of(out)
        rows.append((f'techmatch match --records, {threads} thread(s)',
                     f'{wall:.1f}', f'{n / wall:.0f}', 'includes loading the snapshot'))
        runs.append({'run': 'cli', 'threads': threads, 'wall_s': wall})

    for workers in [int(w) for w in args.workers.split(',')]:
        out = os.path.join(tmp, f'dask-{workers}.jsonl')
        r, wall = run([sys.executable, '-m', 'techmatch.dask_match', '--index', index,
                       '--demands', demands, '--out', out, '--k', str(args.k),
                       '--scheduler', 'local', '--workers', str(workers)], env=env)
        m = re.search(r'snapshot load ([\d.]+) s \(max RSS (\d+) MiB.*matching ([\d.]+) s',
                      r.stderr)
        load, rss, match = (m.group(1), m.group(2), float(m.group(3))) if m else ('?', '?', 0)
        got = lines_of(out)
        same = len(got) == len(reference) and not any(
            differs(g, w) for g, w in zip(got, reference))
        rate = f'{n / match:.0f}' if match else '?'
        rows.append((f'dask_match, LocalCluster of {workers} worker(s)',
                     f'{wall:.1f}', f'{n / wall:.0f}',
                     f'{"same as the CLI" if same else "OUTPUT DIFFERS"}; cluster start '
                     f'{max(0.0, wall - float(load if load != "?" else 0) - match):.1f} s, '
                     f'snapshot load {load} s (RSS {rss} MiB per worker), matching '
                     f'{match:.1f} s = {rate} demands/s'))
        runs.append({'run': 'dask', 'workers': workers, 'wall_s': wall,
                     'same_as_cli': same,
                     'load_s': float(load) if load != '?' else None,
                     'rss_mib_per_worker': int(rss) if rss != '?' else None,
                     'match_s': match or None})
        if not same:
            print(f'dask_match with {workers} workers differs from the CLI', file=sys.stderr)

    with open('/proc/loadavg') as f:
        load = f.read().split()[:3]
    if args.json:
        differ = [r['workers'] for r in runs if r['run'] == 'dask' and not r['same_as_cli']]
        print(json.dumps({'bench': 'dask', 'demands': n, 'records': records or None,
                          'k': args.k, 'load_average': [float(x) for x in load],
                          'runs': runs}, indent=2))
        shutil.rmtree(tmp, ignore_errors=True)
        return 1 if differ else 0
    print(f'{n} demands, k {args.k}, explanations on; load average {" ".join(load)}\n')
    print('| run | wall s | demands/s (wall) | notes |')
    print('|---|---:|---:|---|')
    for row in rows:
        print('| ' + ' | '.join(row) + ' |')
    print(f'\n(scratch files in {tmp})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
