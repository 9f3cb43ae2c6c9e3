# Copyright 2026 The techmatch Authors.
# SPDX-License-Identifier: Apache-2.0
"""Batch matching on a Dask cluster (docs/scale.md).

    python3 -m techmatch.dask_match --index DIR --demands F.jsonl \\
        --out OUT.jsonl --scheduler ADDR|local [--workers N] [--k K]

Every worker process loads the snapshot DIR once (the path must be readable
on every worker: shared storage or a copy at the same path) and matches
partitions of the demands with Engine.match_batch; the client writes one
JSON line per demand, in the demands' order, exactly as
``techmatch match --index DIR --records F.jsonl --k K`` does.

``--scheduler local`` starts a LocalCluster of --workers processes on this
machine (127.0.0.1 only); an address (tcp://host:8786) uses a running
cluster (dask-scheduler, and dask-worker on each host) and waits for
--workers workers.
"""

import argparse
import json
import math
import os
import sys
import threading
import time

import techmatch

# One engine per (worker process, snapshot directory), loaded on first use.
_engines = {}
_engines_lock = threading.Lock()


def _engine(index):
    with _engines_lock:
        engine = _engines.get(index)
        if engine is None:
            engine = techmatch.Engine.load(index)
            _engines[index] = engine
        return engine


def load_snapshot(index):
    """Loads the snapshot on this worker (once); returns (seconds, RSS)."""
    t0 = time.perf_counter()
    _engine(index)
    return time.perf_counter() - t0, _rss_bytes()


def match_partition(index, lines, k, explain, threads):
    """Matches demand records (JSON lines) on this worker's engine: one
    output JSON line per demand, in order."""
    queries = [json.loads(line) for line in lines]
    results = _engine(index).match_batch(queries, threads=threads, k=k,
                                         explain=explain)
    return [r.to_json() for r in results]


def _rss_bytes():
    try:
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
    except (OSError, ValueError, IndexError):
        return 0


def read_demands(path):
    """The non-blank lines of a JSONL file, checked as JSON objects with an
    id, unique per kind (the checks of `techmatch match --records --no-details`; the
    engine checks the rest). Errors name the line."""
    lines, seen = [], set()
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as e:
                raise techmatch.InvalidArgumentError(f'{path}:{number}: {e}')
            if not isinstance(record, dict) or 'id' not in record:
                raise techmatch.InvalidArgumentError(
                    f'{path}:{number}: expected a JSON object with an "id"')
            key = (record.get('kind', 'supply'), str(record['id']))
            if key in seen:
                raise techmatch.InvalidArgumentError(
                    f'{path}:{number}: duplicate {key[0]} id "{key[1]}"')
            seen.add(key)
            lines.append(line.rstrip('\n'))
    return lines


def partitions(lines, size):
    return [lines[i:i + size] for i in range(0, len(lines), size)]


def _connect(args):
    from distributed import Client, LocalCluster
    if args.scheduler == 'local':
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                               processes=True, host='127.0.0.1',
                               dashboard_address=None)
        return Client(cluster), cluster
    client = Client(args.scheduler, timeout=args.connect_timeout)
    client.wait_for_workers(args.workers, timeout=args.connect_timeout)
    return client, None


def run(args):
    # The tasks by their importable name: run as `python3 -m`, this file is
    # __main__, which cloudpickle would ship by value (with its lock).
    from techmatch import dask_match as tasks
    lines = read_demands(args.demands)
    index = args.index
    if args.scheduler == 'local':  # the workers see this machine's files
        index = os.path.abspath(index)
        if not os.path.isdir(index):
            raise techmatch.NotFoundError(f'--index {index}: not a directory')
    client, cluster = _connect(args)
    try:
        nworkers = len(client.scheduler_info()['workers'])
        size = args.partition_size or max(1, math.ceil(len(lines) / (nworkers * 4)))
        t0 = time.perf_counter()
        loads = client.run(tasks.load_snapshot, index)
        t_load = time.perf_counter() - t0
        parts = partitions(lines, size)
        futures = client.map(tasks.match_partition, [index] * len(parts), parts,
                             k=args.k, explain=not args.no_explain,
                             threads=args.threads, pure=False)
        written = 0
        tmp = args.out + '.tmp'
        try:
            with open(tmp, 'w', encoding='utf-8') as out:
                for future in futures:  # in demand order
                    for line in future.result():
                        out.write(line + '\n')
                        written += 1
                    future.release()
            os.replace(tmp, args.out)
        except BaseException:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise
        t_match = time.perf_counter() - t0 - t_load
        rss = max((r for _, r in loads.values()), default=0)
        print(f'dask_match: {written} demands in {len(futures)} partitions of '
              f'<= {size} on {nworkers} workers: snapshot load '
              f'{t_load:.2f} s (max RSS {rss / 2**20:.0f} MiB per worker), '
              f'matching {t_match:.2f} s ({written / max(t_match, 1e-9):.1f} '
              f'demands/s)', file=sys.stderr)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def main(argv=None):
    p = argparse.ArgumentParser(
        prog='python3 -m techmatch.dask_match',
        description='Match demand records against a snapshot on a Dask '
                    'cluster: one JSON line per demand, in order, as '
                    '`techmatch match --records --no-details` writes.')
    p.add_argument('--index', required=True,
                   help='snapshot directory, readable at this path on every '
                        'worker')
    p.add_argument('--demands', required=True, help='query records (JSONL)')
    p.add_argument('--out', required=True, help='output JSONL (replaced)')
    p.add_argument('--scheduler', required=True,
                   help="'local' (a LocalCluster) or a scheduler address")
    p.add_argument('--workers', type=int, default=2,
                   help='local: worker processes; remote: workers to wait '
                        'for (default 2)')
    p.add_argument('--k', type=int, default=10, help='matches per demand')
    p.add_argument('--threads', type=int, default=1,
                   help='match_batch threads per task (default 1: a worker '
                        'runs one task per dask thread)')
    p.add_argument('--partition-size', type=int, default=0,
                   help='demands per task (default: about 4 tasks per worker)')
    p.add_argument('--no-explain', action='store_true',
                   help='leave out explanations')
    p.add_argument('--connect-timeout', type=float, default=60,
                   help='seconds to wait for the scheduler and its workers')
    args = p.parse_args(argv)
    if args.workers < 1 or args.k < 1 or args.threads < 0 or args.partition_size < 0:
        p.error('--workers and --k must be >= 1, --threads and '
                '--partition-size >= 0')
    try:
        run(args)
    except techmatch.Error as e:
        print(f'dask_match: {type(e).__name__}: {e}', file=sys.stderr)
        return 1
    except OSError as e:
        print(f'dask_match: {e}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
