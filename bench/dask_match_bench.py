#!/usr/bin/env python3
"""Times batch matching on Dask against the single-process CLI (docs/scale.md).

  bench/dask_match_bench.py --cli build/bin/techmatch --python-dir build/python \\
      --corpus ../shared/data/csl-match/corpus.jsonl \\
      --queries ../shared/data/csl-match/queries_dev.jsonl [--workers 1,2] [--k 10] \\
      [--records N] [--first N] [--repeat 3] [--json]

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
import statistics
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


def table_row(r, n):
    """The Markdown table's cells for one entry of `runs` (n demands)."""
    wall = r['wall_s']
    if r['run'] == 'index':
        return ('techmatch index (corpus)', f'{wall:.1f}', '', '')
    if r['run'] == 'cli':
        return (f'techmatch match --records, {r["threads"]} thread(s)', f'{wall:.1f}',
                f'{n / wall:.0f}', 'includes loading the snapshot')
    load, match = r['load_s'], r['match_s']
    rate = f'{n / match:.0f}' if match else '?'
    return (f'dask_match, LocalCluster of {r["workers"]} worker(s)', f'{wall:.1f}',
            f'{n / wall:.0f}',
            f'{"same as the CLI" if r["same_as_cli"] else "OUTPUT DIFFERS"}; cluster start '
            f'{max(0.0, wall - (load or 0) - (match or 0)):.1f} s, '
            f'snapshot load {load} s (RSS {r["rss_mib_per_worker"]} MiB per worker), matching '
            f'{match or 0:.1f} s = {rate} demands/s')


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
    p.add_argument('--repeat', type=int, default=3, help='interleaved passes (medians)')
    args = p.parse_args()
    if args.index and args.records:
        sys.exit('--records builds its own index: not with --index')
    env = dict(os.environ, PYTHONPATH=os.path.abspath(args.python_dir))
    tmp = tempfile.mkdtemp(prefix='techmatch-dask-bench-')
    runs = []  # one dict per measured run; the table and --json both come from it

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

    # Every configuration once per pass, passes interleaved so that machine
    # load falls on all alike; medians over passes are reported.
    configs = [('cli', t) for t in (1, 2)] + \
        [('dask', int(w)) for w in args.workers.split(',')]
    samples = {c: [] for c in configs}  # (wall, load, rss, match)
    same_as_cli = {c: True for c in configs}
    reference = None
    for _ in range(args.repeat):
        for config in configs:
            kind, width = config
            out = os.path.join(tmp, f'{kind}-{width}.jsonl')
            if kind == 'cli':
                r, wall = run([args.cli, 'match', '--index', index, '--records', demands,
                               '--no-details', '--k', str(args.k), '--threads', str(width)])
                with open(out, 'w', encoding='utf-8') as f:
                    f.write(r.stdout)
                samples[config].append((wall, None, None, None))
            else:
                r, wall = run([sys.executable, '-m', 'techmatch.dask_match', '--index', index,
                               '--demands', demands, '--out', out, '--k', str(args.k),
                               '--scheduler', 'local', '--workers', str(width)], env=env)
                m = re.search(r'snapshot load ([\d.]+) s \(max RSS (\d+) MiB.*matching '
                              r'([\d.]+) s', r.stderr)
                samples[config].append((wall, float(m.group(1)), int(m.group(2)),
                                        float(m.group(3))) if m else (wall, None, None, None))
            got = lines_of(out)
            if reference is None:
                reference = got
            elif len(got) != len(reference) or any(
                    differs(g, w) for g, w in zip(got, reference)):
                same_as_cli[config] = False
                print(f'{kind} {width} differs from the first CLI run', file=sys.stderr)

    def median(values):
        values = sorted(v for v in values if v is not None)
        return statistics.median(values) if values else None

    for config in configs:
        kind, width = config
        wall, load, rss, match = (median(col) for col in zip(*samples[config]))
        if kind == 'cli':
            runs.append({'run': 'cli', 'threads': width, 'wall_s': wall})
        else:
            runs.append({'run': 'dask', 'workers': width, 'wall_s': wall,
                         'same_as_cli': same_as_cli[config], 'load_s': load,
                         'rss_mib_per_worker': rss, 'match_s': match})

    with open('/proc/loadavg') as f:
        load = f.read().split()[:3]
    if args.json:
        differ = [r['workers'] for r in runs if r['run'] == 'dask' and not r['same_as_cli']]
        print(json.dumps({'bench': 'dask', 'demands': n, 'records': records or None,
                          'k': args.k, 'repeat': args.repeat, 'load_average': [float(x) for x in load],
                          'runs': runs}, indent=2))
        shutil.rmtree(tmp, ignore_errors=True)
        return 1 if differ else 0
    print(f'{n} demands, k {args.k}, explanations on, medians of {args.repeat} passes; load average {" ".join(load)}\n')
    print('| run | wall s | demands/s (wall) | notes |')
    print('|---|---:|---:|---|')
    for r in runs:
        print('| ' + ' | '.join(table_row(r, n)) + ' |')
    print(f'\n(scratch files in {tmp})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
