#!/usr/bin/env python3
"""`techmatch assign` as a user runs it.

  cli_assign_test.py --part sample|csl TECHMATCH_BINARY SHARED_DIR EXAMPLES_DATA_DIR

sample: on the sample data (EXAMPLES_DATA_DIR): indexes it, assigns every
stored demand and a file of demands (free texts, attribute overrides, a same-organization exclusion,
a conflicts file, a forced pair, a capacity file), and checks the outputs
with code of its own (not the solver's): one A.jsonl line per demand,
every capacity / min / max / exclusion / forced pair respected, S.json's
keys, the CSV rows, the report's sections; the errors (no demands, a bad
capacity file line, a forced pair for an unknown demand, a missing index)
name what is wrong and leave no output behind.

csl: on SHARED_DIR/data/csl-match, the issue's fair — supplies = the
16,917 corpus records, demands = the 800 dev query texts, min 1, max 3,
capacity 2 — checked the same way, every demand answered or flagged with
a reason. Exits 77 (skipped) when SHARED_DIR does not have the data set.

SHARED_DIR is overridden by the environment variable TECHMATCH_SHARED_DIR.
Prints 'N passed, N failed'.
"""
import csv
import json
import os
import shutil
import sys
import tempfile
import time

from script_check import SKIP, Tally, failed_cleanly, read_jsonl, run as run_cli

if len(sys.argv) != 6 or sys.argv[1] != '--part' or sys.argv[2] not in ('sample', 'csl'):
    sys.exit(__doc__)
part, binary, shared, examples = sys.argv[2:6]
shared = os.environ.get('TECHMATCH_SHARED_DIR', shared)
tally = Tally()
check = tally.check


def run(*args, timeout=1200):
    return run_cli(binary, *args, timeout=timeout)


def write(path, text):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def verify(name, lines, demand_ids, capacity, default_min, default_max, supplies=None,
           excluded=(), forced=(), cap_of=None, bounds=None):
    """Every bound, exclusion and forced pair, from the output alone."""
    check(f'{name}: one line per demand, in order',
          [l['demand'] for l in lines] == demand_ids,
          ([l['demand'] for l in lines][:5], demand_ids[:5]))
    load = {}
    pairs = set()
    problems = []
    for l in lines:
        lo, hi = (bounds or {}).get(l['demand'], (default_min, default_max))
        ids = [s['id'] for s in l['supplies']]
        if len(ids) != len(set(ids)):
            problems.append(('repeated supply', l['demand']))
        if len(ids) > hi:
            problems.append(('over max', l['demand'], len(ids), hi))
        if l['min'] != lo or l['max'] != hi:
            problems.append(('bounds', l['demand'], l['min'], l['max']))
        status = ('uncovered' if not ids else 'below-minimum' if len(ids) < lo
                  else l['status'])
        if l['status'] != status:
            problems.append(('status', l['demand'], l['status']))
        if (l['status'] != 'covered' and not (not ids and lo == 0)
                and (not l['needs_follow_up'] or not l['reason'])):
            problems.append(('follow-up without reason', l['demand']))
        for s in l['supplies']:
            load[s['id']] = load.get(s['id'], 0) + 1
            pairs.add((l['demand'], s['id']))
            if supplies is not None and s['id'] not in supplies:
                problems.append(('unknown supply', s['id']))
            if not (s['candidate_rank'] >= 1):
                problems.append(('rank', s))
    for sid, n in load.items():
        cap = (cap_of or {}).get(sid, capacity)
        if n > cap:
            problems.append(('over capacity', sid, n, cap))
    for p in excluded:
        if p in pairs:
            problems.append(('excluded pair assigned', p))
    for p in forced:
        if p not in pairs:
            problems.append(('forced pair missing', p))
    check(f'{name}: capacities, min/max, exclusions, forced pairs hold', not problems,
          problems[:10])
    return load


supply_path = os.path.join(examples, 'supply.jsonl')
demand_path = os.path.join(examples, 'demand.jsonl')
dict_path = os.path.join(examples, 'tech_terms.txt')
supplies = {r['id']: r for r in read_jsonl(supply_path)}
demands = read_jsonl(demand_path)
csl = os.path.join(shared, 'data', 'csl-match')
if part == 'csl' and not os.path.isfile(os.path.join(csl, 'corpus.jsonl')):
    print(f'SKIPPED: {csl} is absent: the csl fair cannot run')
    sys.exit(SKIP)

tmp = tempfile.mkdtemp(prefix='techmatch-cli-assign-')
try:
    if part == 'sample':
        snap = os.path.join(tmp, 'snap')
        r = run('index', '--records', supply_path, '--records', demand_path, '--dict', dict_path,
                '--out', snap)
        check('index: exit 0', r.returncode == 0, r.err)

        # ---- every stored demand, scarce capacity --------------------------------
        out, summ, csvp, rep = (os.path.join(tmp, n)
                                for n in ('A.jsonl', 'S.json', 'A.csv', 'R.md'))
        r = run('assign', '--index', snap, '--all-demands', '--k', '10', '--min', '1', '--max', '3',
                '--capacity', '1', '--out', out, '--summary', summ, '--csv', csvp, '--report', rep)
        check('assign --all-demands: exit 0', r.returncode == 0, r.err)
        lines = read_jsonl(out)
        ids = sorted(d['id'] for d in demands)
        verify('all demands', lines, ids, 1, 1, 3, supplies)
        s = json.load(open(summ, encoding='utf-8'))
        keys = ['demands', 'coverage', 'coverage_min', 'total_score', 'greedy_total_score',
                'greedy_uncovered', 'max_load', 'solve_s']
        check('S.json has the issue\'s keys', all(k in s for k in keys), list(s)[:20])
        check('S.json figures agree with A.jsonl',
              s['demands'] == 15 and abs(s['total_score'] - sum(
                  p['score'] for l in lines for p in l['supplies'])) < 1e-3
              and s['coverage'] == sum(1 for l in lines if l['supplies']) / 15, s)
        check('pairs are explained',
              all(p.get('explanation', {}).get('features') for l in lines for p in l['supplies']))
        rows = list(csv.DictReader(open(csvp, encoding='utf-8')))
        check('CSV: one row per pair', len(rows) == sum(max(1, len(l['supplies'])) for l in lines),
              len(rows))
        report = open(rep, encoding='utf-8').read()
        check('report: coverage, follow-up and load sections',
              all(h in report for h in ('# Fair assignment', '## Needs follow-up',
                                        '## Supply load', 'with their minimum')), report[:500])

        # ---- a demand file: free texts, overrides, exclusions, forced ----------
        d1 = dict(demands[0])
        d1['id'] = 'OWN'
        top_line = next(l for l in lines if l['demand'] == demands[0]['id'])
        top = top_line['supplies'][0]['id']
        d1['attributes'] = dict(d1.get('attributes', {}), company=supplies[top]['attributes']['owner'],
                                max_answers='2')
        texts = [d1,
                 {'id': 'T1', 'text': '钒电池电解液低成本制备', 'attributes': {'min_answers': '2'}},
                 {'id': 'T2', 'text': '锂电池正极材料回收'},
                 {'id': 'T3', 'text': '茶叶深加工 茶多酚提取'}]
        dfile = os.path.join(tmp, 'fair.jsonl')
        write(dfile, ''.join(json.dumps(t, ensure_ascii=False) + '\n' for t in texts))
        capf = os.path.join(tmp, 'cap.txt')
        write(capf, '# supply capacity\nS0227 3\nS0001,0\n')
        exf = os.path.join(tmp, 'conflicts.txt')
        write(exf, 'T1 S0249\n')
        ff = os.path.join(tmp, 'force.txt')
        write(ff, 'T2 S0002\n')
        out2 = os.path.join(tmp, 'B.jsonl')
        r = run('assign', '--index', snap, '--demands', dfile, '--k', '10', '--out', out2,
                '--capacity-file', capf, '--exclude-file', exf, '--force-file', ff,
                '--exclude-same', 'company=owner', '--objective', 'maxmin')
        check('assign --demands with files: exit 0', r.returncode == 0, r.err)
        lines2 = read_jsonl(out2)
        verify('demand file', lines2, ['OWN', 'T1', 'T2', 'T3'], 2, 1, 3, supplies,
               excluded=[('OWN', top), ('T1', 'S0249')], forced=[('T2', 'S0002')],
               cap_of={'S0227': 3, 'S0001': 0},
               bounds={'OWN': (1, 2), 'T1': (2, 3)})

        # ---- errors: clear, and nothing written -------------------------------
        bad_out = os.path.join(tmp, 'never.jsonl')
        r = run('assign', '--index', snap, '--out', bad_out)
        check('no demands: fails naming the flags',
              failed_cleanly(r) and '--demands' in r.err, r.err)
        badcap = os.path.join(tmp, 'badcap.txt')
        write(badcap, 'S0001 2\nS0002 two\n')
        r = run('assign', '--index', snap, '--all-demands', '--capacity-file', badcap,
                '--out', bad_out)
        check('bad capacity file: fails naming file and line',
              failed_cleanly(r) and 'badcap.txt:2' in r.err, r.err)
        badf = os.path.join(tmp, 'badforce.txt')
        write(badf, 'D404 S0001\n')
        r = run('assign', '--index', snap, '--all-demands', '--force-file', badf, '--out', bad_out)
        check('forced pair for an unknown demand: fails naming it',
              failed_cleanly(r) and 'D404' in r.err, r.err)
        r = run('assign', '--index', os.path.join(tmp, 'nope'), '--all-demands', '--out', bad_out)
        check('missing index: fails cleanly', failed_cleanly(r), r.err)
        check('no output left behind by a failed run',
              not os.path.exists(bad_out) and not os.path.exists(bad_out + '.tmp'))
        r = run('assign', '--help')
        check('assign --help', r.returncode == 0 and '--capacity-file' in r.out, r.out[:300])

    # ---- csl-match: the fair --------------------------------------
    if part == 'csl':
        csl_snap = os.path.join(tmp, 'csl')
        t0 = time.time()
        r = run('index', '--records', os.path.join(csl, 'corpus.jsonl'), '--map',
                'categories=category/discipline', '--out', csl_snap)
        check('csl: index exit 0', r.returncode == 0, r.err)
        print(f'csl index: {time.time() - t0:.1f} s')
        queries = read_jsonl(os.path.join(csl, 'queries_dev.jsonl'))
        outc, summc = os.path.join(tmp, 'C.jsonl'), os.path.join(tmp, 'C.json')
        t0 = time.time()
        r = run('assign', '--index', csl_snap, '--demands', os.path.join(csl, 'queries_dev.jsonl'),
                '--min', '1', '--max', '3', '--capacity', '2', '--out', outc, '--summary', summc,
                '--report', os.path.join(tmp, 'C.md'))
        print(f'csl assign: {time.time() - t0:.1f} s')
        check('csl: assign exit 0', r.returncode == 0, r.err)
        linesc = read_jsonl(outc)
        verify('csl fair', linesc, [q['id'] for q in queries], 2, 1, 3)
        answered = sum(1 for l in linesc if l['supplies'] or (l['needs_follow_up'] and l['reason']))
        check('csl: 100% of demands answered or flagged with a reason', answered == len(queries),
              answered)
        sc = json.load(open(summc, encoding='utf-8'))
        print('csl summary:', {k: sc[k] for k in ('coverage', 'coverage_min', 'total_score',
                                                  'greedy_total_score', 'greedy_uncovered',
                                                  'max_load', 'solve_s')})
finally:
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(tally.summary())
