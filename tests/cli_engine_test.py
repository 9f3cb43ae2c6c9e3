#!/usr/bin/env python3
"""`techmatch index / match / info / fit / eval` as a user runs them.

  cli_engine_test.py --part sample|csl TECHMATCH_BINARY SHARED_DIR EXAMPLES_DATA_DIR

sample: on the sample data (EXAMPLES_DATA_DIR: 300 supplies, 15 demands):
indexes both files into a snapshot, reads it back with `info`, matches a
text and the demand file, checks the JSON (explanations whose spans are
UTF-8 boundaries into the record fields), the filters, --pretty
highlighting, the errors (missing file, bad JSON line, unknown filter,
missing index) and --help of every command.

csl: on SHARED_DIR/data/csl-match: `eval` on the whole dev set (the run
must have 800 lines and score MRR@10 > 0.9 with the set's evaluate.py),
`eval` again loading the saved snapshot, and `fit` on the first 200 dev
queries. Exits 77 (skipped) when SHARED_DIR does not have the data set.

SHARED_DIR is overridden by the environment variable TECHMATCH_SHARED_DIR.
Prints 'N passed, N failed'.
"""
import fcntl
import json
import re
import os
import shutil
import subprocess
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


def run(*args, timeout=600):
    return run_cli(binary, *args, timeout=timeout)


def json_lines(text):
    return [json.loads(l) for l in text.splitlines() if l.strip()]


supply_path = os.path.join(examples, 'supply.jsonl')
demand_path = os.path.join(examples, 'demand.jsonl')
dict_path = os.path.join(examples, 'tech_terms.txt')
records = {}
for r in read_jsonl(supply_path) + read_jsonl(demand_path):
    records[(r.get('kind', 'supply'), str(r['id']))] = r


def field_bytes(rec, span):
    f = span['field']
    if f == 'title':
        s = rec.get('title') or ''
    elif f == 'text':
        s = rec.get('text') or ''
    else:
        kw = rec.get('keywords') or []
        if isinstance(kw, str):
            return None
        if span['index'] >= len(kw):
            return None
        s = kw[span['index']].strip()
    return s.encode('utf-8')


def span_ok(data, span):
    """[begin, end) lies in `data` and both ends are UTF-8 boundaries."""
    b, e = span['begin'], span['end']
    if data is None or not (0 <= b < e <= len(data)):
        return False
    try:
        data[b:e].decode('utf-8')
    except UnicodeDecodeError:
        return False
    return True


def sample_checks(tmp):
    """Everything on the sample data in EXAMPLES_DATA_DIR."""
    snap = os.path.join(tmp, 'snap')

    # ---- index ----------------------------------------------------------
    t0 = time.time()
    r = run('index', '--records', supply_path, '--records', demand_path,
            '--dict', dict_path, '--out', snap)
    print(f'index: {time.time() - t0:.1f} s')
    check('index: exit 0', r.returncode == 0, r.err)
    check('index: summary line names records and snapshot',
          '315 records' in r.out and snap in r.out, r.out)
    check('index: snapshot directory written',
          os.path.isdir(snap) and len(os.listdir(snap)) > 0)
    check('index: no progress bar when stderr is not a terminal',
          '\r' not in r.err and 'build' in r.err, repr(r.err))
    if r.returncode != 0:
        print('index failed: nothing else can run')
        tally.summary()
        sys.exit(1)

    # ---- info -----------------------------------------------------------
    r = run('info', snap)
    check('info: exit 0', r.returncode == 0, r.err)
    check('info: readable listing', 'supplies: 300' in r.out and
          'demands: 15' in r.out and 'lexical' in r.out, r.out)
    r = run('info', snap, '--json')
    try:
        info = json.loads(r.out)
    except ValueError:
        info = {}
    st = info.get('stats', {})
    check('info --json: stats', st.get('supplies') == 300 and
          st.get('demands') == 15 and st.get('built') is True and
          st.get('lexical_terms', 0) > 0 and st.get('embedding_dim', 0) > 0, r.out)
    check('info --json: scorer weights listed',
          'lexical' in info.get('options', {}).get('scorer', {}).get('weights', {}), r.out)

    # ---- one writer per directory ----------------------------------------
    with open(os.path.join(snap, 'LOCK'), 'a+') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running writer holds it
        lock.seek(0)
        lock.truncate()
        lock.write('pid 4242, techmatch serve\n')
        lock.flush()
        r = run('index', '--records', supply_path, '--out', snap)
        check('index into a directory another writer holds: fails at once, naming it',
              failed_cleanly(r) and 'in use' in r.err and 'pid 4242' in r.err and
              'read: ' not in r.err, r.err)
        fq, fj = os.path.join(tmp, 'fit_q.jsonl'), os.path.join(tmp, 'fit_j.jsonl')
        with open(fq, 'w', encoding='utf-8') as f:
            f.write('{"id": "q1", "text": "钒电池电解液"}\n')
        with open(fj, 'w', encoding='utf-8') as f:
            f.write('{"query_id": "q1", "doc_id": "S0008", "relevance": 1}\n')
        r = run('fit', '--index', snap, '--queries', fq, '--qrels', fj)
        check('fit of a directory another writer holds: fails naming it',
              failed_cleanly(r) and 'in use' in r.err, r.err)
    r = run('info', snap, '--json')
    check('... and the snapshot is as it was',
          r.returncode == 0 and json.loads(r.out)['stats']['records'] == 315, r.out + r.err)
    r = run('index', '--records', supply_path, '--out', os.path.join(supply_path, 'x'))
    check('index --out that cannot be created: fails before reading the records',
          failed_cleanly(r) and 'cannot create output directory' in r.err and
          'read: ' not in r.err, r.err)

    # ---- match --text ---------------------------------------------------
    query = '钒电池电解液低成本制备，提高钒浓度并防止低温析出'
    r = run('match', '--index', snap, '--text', query)
    check('match --text: exit 0', r.returncode == 0, r.err)
    lines = json_lines(r.out)
    check('match --text: one JSON line', len(lines) == 1, r.out)
    res = lines[0] if lines else {}
    matches = res.get('matches', [])
    check('match --text: result keys', all(k in res for k in (
        'query_id', 'needs_follow_up', 'category', 'category_inferred', 'matches')), res.keys())
    check('match --text: 10 matches, ranks 1..10, supplies',
          [m['rank'] for m in matches] == list(range(1, 11)) and
          all(m['kind'] == 'supply' for m in matches), matches)
    check('match --text: scores descending',
          all(matches[i]['score'] >= matches[i + 1]['score'] for i in range(len(matches) - 1)))
    top_ids = [m['id'] for m in matches]
    check('match --text: a vanadium electrolyte supply in the top 3',
          any(i in top_ids[:3] for i in ('S0008', 'S0227', 'S0249')), top_ids)
    check('UTF-8 written as is, not \\u-escaped', '钒' in r.out and '\\u' not in r.out)
    spans = rspans = bad = close = 0
    qbytes = query.encode('utf-8')
    features_ok = True
    for m in matches:
        ex = m.get('explanation', {})
        feats = ex.get('features', [])
        total = ex.get('bias', 0) + sum(f['contribution'] for f in feats)
        if not feats or abs(total - m['score']) > 1e-3 or \
                not all({'name', 'value', 'weight', 'contribution'} <= f.keys() for f in feats):
            features_ok = False
        rec = records[('supply', m['id'])]
        for t in ex.get('matched_terms', []):
            for s in t['record_spans']:
                spans += 1
                rspans += 1
                data = field_bytes(rec, s)
                if not span_ok(data, s):
                    bad += 1
                elif data[s['begin']:s['end']].decode('utf-8').lower() == t['text']:
                    close += 1
            for s in t['query_spans']:
                spans += 1
                if s['field'] != 'text' or not span_ok(qbytes, s):
                    bad += 1
    check('explanations: features sum to the score', features_ok, matches[:1])
    check('explanations: matched terms with spans', spans > 0 and
          all(m['explanation']['matched_terms'] for m in matches[:3]), matches[:1])
    check('explanations: every span a UTF-8 range in its field', bad == 0,
          f'{bad} bad of {spans}')
    check('explanations: most record spans spell their term', close >= 0.8 * rspans,
          f'{close} of {rspans}')
    check('explanations: found_by', all(m['explanation']['found_by'] in
                                        ('lexical', 'dense', 'both') for m in matches))

    r = run('match', '--index', snap, '--text', query, '--no-explain', '--k', '3')
    lines = json_lines(r.out)
    check('--no-explain --k 3: 3 matches without explanations',
          r.returncode == 0 and len(lines) == 1 and len(lines[0]['matches']) == 3 and
          all('explanation' not in m for m in lines[0]['matches']), r.out + r.err)

    # ---- synonyms ----------------------------------------------------------
    syn = os.path.join(tmp, 'synonyms.txt')
    with open(syn, 'w', encoding='utf-8') as f:
        f.write('# flow batteries\nVRFB, 钒电池\n')

    def via_synonym(out, phrase):
        return any(t.get('synonym_of') == phrase
                   for res in json_lines(out) for m in res['matches']
                   for t in m.get('explanation', {}).get('matched_terms', []))
    r = run('match', '--index', snap, '--text', 'VRFB 储能', '--synonyms', syn)
    check('match --synonyms: a synonym brings in the matches, explained',
          r.returncode == 0 and via_synonym(r.out, 'vrfb'), r.out[:500] + r.err)
    r = run('match', '--index', snap, '--text', 'VRFB 储能')
    check('match without --synonyms: none', r.returncode == 0 and not via_synonym(r.out, 'vrfb'),
          r.err)
    r = run('match', '--index', snap, '--text', 'VRFB 储能', '--synonyms', syn,
            '--synonym-weight', '0')
    check('match --synonym-weight 0: off', r.returncode == 0 and not via_synonym(r.out, 'vrfb'),
          r.err)
    with open(syn, 'a', encoding='utf-8') as f:
        f.write('lonely\n')
    r = run('match', '--index', snap, '--text', 'VRFB', '--synonyms', syn)
    check('match --synonyms: a bad line fails naming file and line',
          failed_cleanly(r) and syn + ':3' in r.err, r.err)
    r = run('synonyms', '--index', snap)
    mined = [l for l in r.out.splitlines() if l and not l.startswith('#')]
    check('synonyms: candidates mined from the records, in the synonyms format',
          r.returncode == 0 and len(mined) >= 5 and all(', ' in l for l in mined) and
          any(l == '体声波, baw' for l in mined), r.out[:800] + r.err)
    mined_file = os.path.join(tmp, 'mined.txt')
    with open(mined_file, 'w', encoding='utf-8') as f:
        f.write(r.out)
    r = run('match', '--index', snap, '--text', 'BAW 滤波器', '--synonyms', mined_file)
    check('synonyms: the mined file loads as it is', r.returncode == 0, r.err)

    # ---- match --records --------------------------------------------------
    r = run('match', '--index', snap, '--records', demand_path, '--k', '3')
    lines = json_lines(r.out)
    check('match --records demand.jsonl --k 3: 15 lines in file order',
          r.returncode == 0 and [l['query_id'] for l in lines] ==
          [f'D{i:03d}' for i in range(1, 16)], r.out[:500] + r.err)
    check('match --records: <= 3 supplies each',
          all(0 < len(l['matches']) <= 3 and all(m['kind'] == 'supply' for m in l['matches'])
              for l in lines))
    fits = {'D001': 'S0008 S0227 S0249', 'D002': 'S0006 S0133 S0204 S0220',
            'D003': 'S0034 S0163 S0203', 'D004': 'S0073 S0253 S0260',
            'D005': 'S0023 S0040 S0129 S0169', 'D006': 'S0046 S0117 S0144 S0254',
            'D007': 'S0057 S0124 S0192 S0238', 'D008': 'S0050 S0229 S0255 S0294',
            'D009': 'S0105 S0166 S0250', 'D010': 'S0131 S0211 S0264',
            'D011': 'S0039 S0055 S0147 S0267', 'D012': 'S0030 S0049 S0106 S0121',
            'D013': 'S0001 S0218 S0257 S0290', 'D014': 'S0064 S0074 S0125 S0293',
            'D015': 'S0016 S0233 S0244'}
    hits = sum(1 for l in lines if set(m['id'] for m in l['matches']) & set(fits[l['query_id']].split()))
    print(f'demands with a hand-labelled fit in their top 3: {hits} of 15')
    check('match --records: most demands find a fit in the top 3', hits >= 10, hits)
    no_cat = {l['query_id']: l for l in lines if l['query_id'] in ('D002', 'D006', 'D011', 'D014')}
    check('match --records: category inferred only for demands without one',
          all(l['category_inferred'] == (l['query_id'] in no_cat) or l['category'] == ''
              for l in lines), [(l['query_id'], l['category'], l['category_inferred']) for l in lines])

    # ---- filters ----------------------------------------------------------
    def match_ids(*extra, text=query):
        r = run('match', '--index', snap, '--text', text, '--no-explain', '--k', '20', *extra)
        ls = json_lines(r.out) if r.returncode == 0 else []
        return r, [m['id'] for m in ls[0]['matches']] if ls else None

    r, ids = match_ids('--filter', 'maturity=7..')
    check('--filter maturity=7..: all TRL >= 7', ids and all(
        records[('supply', i)].get('maturity', 0) >= 7 for i in ids), (ids, r.err))
    r, ids = match_ids('--filter', 'maturity=..5')
    check('--filter maturity=..5: all TRL <= 5', ids and all(
        1 <= records[('supply', i)].get('maturity', 99) <= 5 for i in ids), (ids, r.err))
    r, ids = match_ids('--filter', 'maturity=4..6', '--filter', 'region=四川省/成都市')
    check('--filter maturity=4..6 + region=四川省/成都市', ids and all(
        4 <= records[('supply', i)].get('maturity', 0) <= 6 and
        records[('supply', i)].get('region', '').startswith('四川省/成都市/') for i in ids), (ids, r.err))
    r, ids = match_ids('--filter', 'region=重庆市', '--filter', 'region=陕西省')
    check('--filter region twice: either region', ids and all(
        records[('supply', i)].get('region', '').split('/')[0] in ('重庆市', '陕西省') for i in ids),
        (ids, r.err))
    r, ids = match_ids('--filter', 'category=工学/化学工程与技术')
    check('--filter category=工学/化学工程与技术', ids and all(
        any(c.startswith('工学/化学工程与技术') for c in records[('supply', i)].get('categories', []))
        for i in ids), (ids, r.err))
    r, ids = match_ids('--filter', 'attr.industry=能源环保')
    check('--filter attr.industry=能源环保', ids and all(
        records[('supply', i)]['attributes'].get('industry') == '能源环保' for i in ids), (ids, r.err))
    r, ids = match_ids('--filter', 'id=S0008', '--filter', 'id=S0100')
    check('--filter id twice: only those ids', ids is not None and set(ids) <= {'S0008', 'S0100'} and
          'S0008' in ids, (ids, r.err))
    r, ids = match_ids('--target', 'demand')
    check('--target demand: demands only', ids and all(i.startswith('D') for i in ids), (ids, r.err))

    # ---- --pretty ---------------------------------------------------------
    r = run('match', '--index', snap, '--text', query, '--pretty', '--k', '5')
    check('--pretty: exit 0', r.returncode == 0, r.err)
    check('--pretty: ids, titles and 【highlighted】 terms',
          'S0' in r.out and '【' in r.out and '】' in r.out and '钒' in r.out and
          '\033[' not in r.out, r.out[:1500])
    print('\n'.join(r.out.splitlines()[:12]))
    r = run('match', '--index', snap, '--records', demand_path, '--pretty', '--k', '2')
    rj = run('match', '--index', snap, '--records', demand_path, '--k', '2', '--no-explain')
    flagged = sum(1 for l in json_lines(rj.out) if l['needs_follow_up'])
    check('--pretty --records: one block per query, follow-up shown when flagged',
          r.returncode == 0 and r.out.count('query D0') == 15 and
          r.out.count('NEEDS FOLLOW-UP') == flagged, (flagged, r.out[:800], r.err))
    odd = '量子引力与弦论中的黑洞熵计算'
    rj = run('match', '--index', snap, '--text', odd, '--k', '3')
    rp = run('match', '--index', snap, '--text', odd, '--k', '3', '--pretty')
    fj = json_lines(rj.out)[0]['needs_follow_up'] if rj.returncode == 0 else None
    check('--pretty: needs follow-up shown exactly when the JSON says so',
          rp.returncode == 0 and fj is not None and ('NEEDS FOLLOW-UP' in rp.out) == fj,
          (fj, rp.out[:400]))

    # ---- operator-facing output ---------------------------------------------
    r = run('match', '--index', snap, '--text', query, '--k', '3')
    res = json_lines(r.out)[0] if r.returncode == 0 else {}
    top = (res.get('matches') or [{}])[0]
    check('match JSON: confidence and each record\'s display fields',
          isinstance(res.get('confidence'), float) and
          all(k in top.get('record', {}) for k in
              ('title', 'organization', 'region', 'maturity', 'price')), top.get('record'))
    check('match JSON: reasons in plain words',
          any(x['code'] == 'shared_terms' for x in top.get('reasons', [])), top.get('reasons'))
    rp = run('match', '--index', snap, '--records', demand_path, '--pretty', '--k', '3')
    marks = re.findall('【([^】]*)】', rp.out)
    check('--pretty: highlights whole words, never a single character',
          marks and all(len(m) >= 2 for m in marks), [m for m in marks if len(m) < 2][:20])
    check('--pretty: confidence, owner, TRL and plain reasons',
          'confidence 0.' in rp.out and '攀钢集团研究院' in rp.out and 'TRL ' in rp.out and
          'shared key terms:' in rp.out and 'meets the need' in rp.out and
          'centroid' not in rp.out and 'found by' not in rp.out, rp.out[:1500])
    rp = run('match', '--index', snap, '--text', query, '--pretty', '--no-explain', '--k', '3')
    check('--pretty --no-explain: no empty "why"', rp.returncode == 0 and 'why' not in rp.out,
          rp.out[:800])
    r, ids = match_ids('--filter', 'region=四川')
    check('--filter region=四川: a leading part of the segment name',
          ids and all(records[('supply', i)]['region'].startswith('四川省') for i in ids), ids)
    r, ids = match_ids('--filter', 'category=工学/材料')
    check('--filter category=工学/材料: leading part of the discipline',
          ids and all(any(c.startswith('工学/材料') for c in records[('supply', i)]['categories'])
                      for i in ids), ids)
    r, ids = match_ids('--filter', 'region=火星')
    check('--filter matching nothing: a warning on stderr',
          r.returncode == 0 and ids == [] and 'no record passed the filters' in r.err, r.err)

    # ---- errors -------------------------------------------------------------
    missing = os.path.join(tmp, 'missing.jsonl')
    r = run('index', '--records', missing, '--out', os.path.join(tmp, 'x'))
    check('index: missing file fails naming it', failed_cleanly(r) and 'missing.jsonl' in r.err, r.err)
    bad_path = os.path.join(tmp, 'bad.jsonl')
    with open(bad_path, 'w', encoding='utf-8') as f:
        f.write('{"id": "A1", "title": "钛合金3D打印", "text": "激光选区熔化"}\n')
        f.write('{"id": "A2", "title": "坏的行", "text": \n')
        f.write('{"id": "A3", "title": "石墨烯负极材料", "text": "快充"}\n')
    r = run('index', '--records', bad_path, '--out', os.path.join(tmp, 'bad-snap'))
    check('index: bad JSON line fails naming file and line',
          failed_cleanly(r) and 'bad.jsonl:2' in r.err, r.err)
    # 40 good supplies with a bad line 3 (a small --dim: LSA needs at least
    # as many documents as dimensions).
    lenient_path = os.path.join(tmp, 'lenient.jsonl')
    with open(supply_path, encoding='utf-8') as f:
        good = [l for _, l in zip(range(40), f)]
    with open(lenient_path, 'w', encoding='utf-8') as f:
        f.writelines(good[:2] + ['{"id": "X", "maturity": 12}\n'] + good[2:])
    r = run('index', '--records', lenient_path, '--out', os.path.join(tmp, 'x'), '--dim', '8')
    check('index: out-of-range field fails naming line, record and field',
          failed_cleanly(r) and 'lenient.jsonl:3' in r.err and 'maturity' in r.err and '"X"' in r.err, r.err)
    r = run('index', '--records', lenient_path, '--lenient', '--dim', '8',
            '--out', os.path.join(tmp, 'lenient-snap'))
    check('index --lenient: skips the bad line and reports it',
          r.returncode == 0 and 'lenient.jsonl:3' in r.err and '40 records' in r.out, r.out + r.err)
    r = run('match', '--index', snap, '--records', bad_path)
    check('match --records: bad JSON line fails naming the line',
          failed_cleanly(r) and 'bad.jsonl:2' in r.err, r.err)
    r = run('index', '--records', supply_path, '--map', 'foo=bar', '--out', os.path.join(tmp, 'y'))
    check('index: bad --map fails naming the entry', failed_cleanly(r) and 'foo=bar' in r.err, r.err)
    for expr, what in (('colour=red', 'unknown filter'), ('maturity=abc', 'maturity'),
                       ('maturity=7..3', 'maturity'), ('kind=both', 'kind'),
                       ('region', 'KEY=VALUE'), ('attr.=x', 'attribute')):
        r = run('match', '--index', snap, '--text', query, '--filter', expr)
        check(f'match: --filter {expr} fails', failed_cleanly(r) and what in r.err and
              expr in r.err, r.err)
    r = run('match', '--index', os.path.join(tmp, 'no-such-dir'), '--text', query)
    check('match: missing index dir fails naming it', failed_cleanly(r) and 'no-such-dir' in r.err, r.err)
    r = run('info', os.path.join(tmp, 'no-such-dir'))
    check('info: missing index dir fails', failed_cleanly(r) and 'no-such-dir' in r.err, r.err)
    r = run('match', '--index', snap)
    check('match: neither --text nor --records fails', failed_cleanly(r), r.err)
    r = run('match', '--index', snap, '--text', 'x', '--records', demand_path)
    check('match: --text and --records together fail', r.returncode > 0, r.err)
    r = run('match', '--index', snap, '--text', query, '--k', '0')
    check('match: --k 0 fails', r.returncode > 0, r.err)
    r = run('match', '--index', snap, '--text', query, '--target', 'both')
    check('match: --target both fails', r.returncode > 0, r.err)
    r = run('index', '--records', supply_path, '--records', supply_path,
            '--out', os.path.join(tmp, 'dup'))
    check('index: the same file twice fails on a duplicate id', failed_cleanly(r) and 'S0001' in r.err, r.err)
    r = run('index', '--records', supply_path, '--dict', missing, '--out', os.path.join(tmp, 'z'))
    check('index: missing dictionary fails naming it', failed_cleanly(r) and 'missing.jsonl' in r.err, r.err)
    garbage = os.path.join(tmp, 'garbage')
    os.makedirs(garbage)
    with open(os.path.join(garbage, 'MANIFEST'), 'wb') as f:
        f.write(b'\x00not a snapshot\xff')
    r = run('info', garbage)
    check('info: a directory that is no snapshot fails cleanly', failed_cleanly(r), r.err)

    # ---- fit --judgments ---------------------------------------------------
    judgments = os.path.join(examples, 'judgments.jsonl')
    fitted_sample = os.path.join(tmp, 'fitted_sample')
    r = run('fit', '--index', snap, '--judgments', judgments, '--out', fitted_sample)
    check('fit --judgments: exit 0, counts the labels and queries',
          r.returncode == 0 and 'judgments: 127 on 15 queries (labels 0/1/2/3: 63/10/0/54)' in r.out
          and 'saved with the new weights' in r.out, r.out + r.err)
    r = run('match', '--index', fitted_sample, '--text', '钒电池电解液低成本制备', '--k', '3')
    check('fit --judgments: the fitted snapshot matches', r.returncode == 0 and
          len(json_lines(r.out)[0]['matches']) == 3 if r.returncode == 0 else False, r.err)
    calibrated = os.path.join(tmp, 'calibrated_sample')
    r = run('fit', '--index', snap, '--judgments', judgments, '--calibrate', '--out', calibrated)
    check('fit --calibrate: fits and reports the confidence calibration',
          r.returncode == 0 and 'confidence calibration:' in r.out and 'from 15 queries' in r.out,
          r.out + r.err)
    r = run('info', calibrated, '--json')
    check('fit --calibrate: saved with the engine',
          r.returncode == 0 and json.loads(r.out)['stats'].get('calibration_queries') == 15,
          r.out[:400] + r.err)
    bad_cases = [
        ('{"demand": "D001", "supply": "S0008", "label": 5}', 'label'),
        ('{"demand": "D001", "text": "x", "supply": "S0008", "label": 1}', 'one of'),
        ('{"demand": "D001", "label": 1}', 'supply'),
        ('{"demand": "D001", "supply": "S0008", "label": 1, "note": "x"}', 'unknown field'),
        ('{"demand": "D001", "supply": "S9999", "label": 1}', 'S9999'),
        ('{"demand": "D999", "supply": "S0008", "label": 1}', 'D999'),
        ('{"demand": "D001", "supply": "S0008", "label": 1}\n'
         '{"demand": "D001", "supply": "S0008", "label": 0}', 'another label'),
        ('not json', 'invalid JSON'),
    ]
    for text, needle in bad_cases:
        bad = os.path.join(tmp, 'bad_judgments.jsonl')
        with open(bad, 'w', encoding='utf-8') as f:
            f.write('{"text": "钒电池电解液", "supply": "S0008", "label": 3}\n' + text + '\n')
        r = run('fit', '--index', snap, '--judgments', bad, '--dry-run')
        check(f'fit --judgments: a bad line fails naming it ({needle})',
              failed_cleanly(r) and needle in r.err and
              f'bad_judgments.jsonl:{3 if needle == "another label" else 2}:' in r.err, r.err)
    r = run('fit', '--index', snap, '--judgments', judgments, '--queries', judgments)
    check('fit: --judgments and --queries exclude each other', failed_cleanly(r), r.err)

    # ---- --help -------------------------------------------------------------
    for cmd in ('index', 'match', 'info', 'fit', 'eval', 'synonyms'):
        r = run(cmd, '--help')
        check(f'{cmd} --help', r.returncode == 0 and cmd in r.out and '--' in r.out, r.out + r.err)
    r = run('--help')
    check('--help lists the commands', r.returncode == 0 and
          all(c in r.out for c in ('index', 'match', 'info', 'fit', 'eval')), r.out)


def csl_checks(tmp):
    """eval and fit on csl-match (skipped when ../shared lacks it)."""
    csl = os.path.join(shared, 'data', 'csl-match')
    if not os.path.isfile(os.path.join(csl, 'corpus.jsonl')):
        print(f'SKIPPED: {csl} is absent: eval and fit cannot run')
        sys.exit(SKIP)
    corpus = os.path.join(csl, 'corpus.jsonl')
    queries = os.path.join(csl, 'queries_dev.jsonl')
    qrels = os.path.join(csl, 'qrels_dev.jsonl')
    csl_snap = os.path.join(tmp, 'csl-snap')
    run_path = os.path.join(tmp, 'run.jsonl')
    t0 = time.time()
    r = run('eval', '--corpus', corpus, '--queries', queries, '--out', run_path,
            '--index', csl_snap, '--threads', '2')
    print(f'eval (build + 800 queries): {time.time() - t0:.1f} s')
    print(r.out.strip())
    check('eval: exit 0', r.returncode == 0, r.err)
    check('eval: reports build time and latency',
          'built 16917 records' in r.out and 'p50' in r.out and 'p99' in r.out and
          'queries/s' in r.out, r.out)
    run_lines = read_jsonl(run_path) if os.path.isfile(run_path) else []
    check('eval: run has 800 lines of <= 100 doc ids', len(run_lines) == 800 and
          all(0 < len(l['doc_ids']) <= 100 for l in run_lines), len(run_lines))
    s = subprocess.run([sys.executable, os.path.join(csl, 'evaluate.py'), '--split', 'dev',
                        '--run', run_path], capture_output=True, text=True)
    try:
        scores = json.loads(s.stdout)
    except ValueError:
        scores = {}
    mrr = scores.get('all', {}).get('MRR@10', 0)
    print(f'csl-match dev: {json.dumps(scores.get("all", {}), ensure_ascii=False)}')
    check('eval: evaluate.py MRR@10 > 0.9', mrr > 0.9, s.stdout + s.stderr)

    # Loads the saved snapshot (no --corpus needed), on a few queries.
    few = os.path.join(tmp, 'queries_50.jsonl')
    with open(queries, encoding='utf-8') as f, open(few, 'w', encoding='utf-8') as g:
        for _, line in zip(range(50), f):
            g.write(line)
    t0 = time.time()
    r = run('eval', '--queries', few, '--out', os.path.join(tmp, 'run50.jsonl'),
            '--index', csl_snap)
    check('eval --index SNAPSHOT: loaded, not rebuilt',
          r.returncode == 0 and 'loaded' in r.out and 'built' not in r.out, r.out + r.err)
    run50 = read_jsonl(os.path.join(tmp, 'run50.jsonl')) if r.returncode == 0 else []
    check('eval --index SNAPSHOT: same rankings as the built engine',
          [l['doc_ids'] for l in run50] == [l['doc_ids'] for l in run_lines[:50]])
    print(f'eval (load + 50 queries): {time.time() - t0:.1f} s')
    r = run('eval', '--queries', few, '--out', os.path.join(tmp, 'r.jsonl'))
    check('eval: no corpus and no snapshot fails', failed_cleanly(r), r.err)
    badq = os.path.join(tmp, 'badq.jsonl')
    with open(badq, 'w', encoding='utf-8') as f:
        f.write('{"id": "Q1", "type": "title", "text": "钛合金", "keywords": null}\n')
        f.write('{"id": "Q2", "type": "title", "keywords": null}\n')
    r = run('eval', '--queries', badq, '--out', os.path.join(tmp, 'r.jsonl'), '--index', csl_snap)
    check('eval: query without text fails naming file and line',
          failed_cleanly(r) and 'badq.jsonl:2' in r.err and 'text' in r.err, r.err)

    # fit on the first 200 dev queries, saved to a new directory.
    q200 = os.path.join(tmp, 'queries_200.jsonl')
    with open(queries, encoding='utf-8') as f, open(q200, 'w', encoding='utf-8') as g:
        for _, line in zip(range(200), f):
            g.write(line)
    fitted = os.path.join(tmp, 'fitted')
    t0 = time.time()
    r = run('fit', '--index', csl_snap, '--queries', q200, '--qrels', qrels, '--out', fitted)
    print(f'fit (200 queries): {time.time() - t0:.1f} s')
    print(r.out.strip())
    check('fit: exit 0', r.returncode == 0, r.err)
    check('fit: reports queries, pairs, loss and weights',
          '200 given' in r.out and 'pairs:' in r.out and 'loss:' in r.out and
          'lexical' in r.out and '->' in r.out, r.out)
    r2 = run('info', fitted, '--json')
    try:
        w = json.loads(r2.out)['options']['scorer']['weights']
    except (ValueError, KeyError):
        w = {}
    new_lexical = None
    for line in r.out.splitlines():
        parts = line.split()
        if parts[:1] == ['lexical'] and '->' in parts:
            new_lexical = float(parts[parts.index('->') + 1])
    check('fit: saved snapshot carries the new weights',
          new_lexical is not None and abs(w.get('lexical', 1e9) - new_lexical) < 1e-3,
          (new_lexical, w))
    badr = os.path.join(tmp, 'badqrels.jsonl')
    with open(badr, 'w', encoding='utf-8') as f:
        f.write('{"query_id": "Q1", "doc_id": "D1", "relevance": 2}\n')
        f.write('{"query_id": "Q2", "doc_id": "D2", "relevance": "high"}\n')
    r = run('fit', '--index', csl_snap, '--queries', q200, '--qrels', badr)
    check('fit: bad qrels line fails naming file and line',
          failed_cleanly(r) and 'badqrels.jsonl:2' in r.err, r.err)


tmp = tempfile.mkdtemp(prefix='techmatch-cli-')
try:
    if part == 'sample':
        sample_checks(tmp)
    else:
        csl_checks(tmp)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(tally.summary())
