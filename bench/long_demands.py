#!/usr/bin/env python3
# Copyright 2026 The techmatch Authors.
# SPDX-License-Identifier: Apache-2.0
"""Long demands against short supply titles: two proxies of issue 14's
hidden demand <-> achievement set, scored by condensed nDCG@10 (unjudged
documents removed from the ranking).

  A  the example data: its 15 demands (title + text; keywords, categories
     and metadata removed) against its 300 supplies reduced to their
     titles, graded by the hand labels of examples/data/judgments.jsonl
     (3 fit, 1 partial, 0 distractor).
  B  csl-match reversed: each dev query's source abstract is a demand
     against the 800 dev query texts (paper titles or keyword lists) as
     supply titles; the query's own text is left out of its ranking and
     the others are graded 2 same discipline, 1 same category, 0 another
     category (unlabelled ones are unjudged). Needs ../shared; skipped
     without it.

Each variant is an engine built from the supplies with the given options
(everything else as shipped); `sentences` also matches each sentence of a
demand and fuses the rankings (the whole demand weighted 2: RRF, or the
best of the score / best-score ratios). docs/measurements.md has the
figures.

    PYTHONPATH=build/python python3 bench/long_demands.py [--csl DIR]
"""

import argparse
import json
import math
import os
import re
import statistics
import sys

import techmatch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LEXICAL_ONLY = {
    'scorer': {'lexical_power': 1, 'weights': {
        'lexical': 1, 'centroid': 0, 'title_overlap': 0, 'keyword_overlap': 0,
        'category': 0, 'region': 0, 'maturity': 0, 'price': 0, 'recency': 0}},
    'fusion': {'dense_k': 0}}


def lexical(word, unigram, bigram):
    o = json.loads(json.dumps(LEXICAL_ONLY))
    o['lexical'] = {'word_weight': word, 'unigram_weight': unigram,
                    'bigram_weight': bigram}
    return o


VARIANTS = [
    ('engine as shipped', {}),
    ('BM25 words 3 / unigrams 1.5 / bigrams 1 (the engine\'s lexical stage)',
     lexical(3, 1.5, 1)),
    ('BM25 character uni+bigrams', lexical(0, 1, 1)),
    ('BM25 character bigrams', lexical(0, 0, 1)),
    ('engine, centroid 0', {'scorer': {'weights': {'centroid': 0}}}),
    ('engine, dense feature 0.2', {'scorer': {'weights': {'dense': 0.2}}}),
    ('engine, lexical power 4', {'scorer': {'lexical_power': 4}}),
]


def read_jsonl(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def proxy_a():
    data = os.path.join(ROOT, 'examples', 'data')
    supplies = [{'id': s['id'], 'kind': 'supply', 'title': s['title']}
                for s in read_jsonl(os.path.join(data, 'supply.jsonl'))]
    demands = [{'id': d['id'], 'kind': 'demand', 'title': d['title'],
                'text': d['text']}
               for d in read_jsonl(os.path.join(data, 'demand.jsonl'))]
    grades = {}
    for j in read_jsonl(os.path.join(data, 'judgments.jsonl')):
        grades.setdefault(j['demand'], {})[j['supply']] = j['label']
    return supplies, demands, grades, {}


def proxy_b(csl):
    docs = {r['id']: r for r in read_jsonl(os.path.join(csl, 'corpus.jsonl'))}
    queries = read_jsonl(os.path.join(csl, 'queries_dev.jsonl'))
    labels = {r['query_id']: r
              for r in read_jsonl(os.path.join(csl, 'query_labels_dev.jsonl'))}
    source = {r['query_id']: r['doc_id']
              for r in read_jsonl(os.path.join(csl, 'qrels_dev.jsonl'))}
    supplies = [{'id': q['id'], 'kind': 'supply', 'title': q['text']}
                for q in queries]
    demands, grades, own = [], {}, {}
    for q in queries:
        doc = docs[source[q['id']]]
        did = 'A' + q['id']
        demands.append({'id': did, 'kind': 'demand', 'text': doc['text']})
        own[did] = q['id']
        g = {}
        for other in queries:
            lab = labels[other['id']]
            if other['id'] == q['id'] or not lab.get('category') or not doc['category']:
                continue
            if doc['discipline'] and lab.get('discipline') == doc['discipline']:
                g[other['id']] = 2
            elif lab['category'] == doc['category']:
                g[other['id']] = 1
            else:
                g[other['id']] = 0
        if g and max(g.values()) > 0:
            grades[did] = g
    return supplies, [d for d in demands if d['id'] in grades], grades, own


def ndcg10(ranked, grades):
    judged = [d for d in ranked if d in grades][:10]
    dcg = sum(grades[d] / math.log2(i + 2) for i, d in enumerate(judged))
    ideal = sorted(grades.values(), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg


SENTENCE_END = re.compile(r'[。；;！!？?\n]+')


def fuse(lists, method):
    acc = {}
    for i, ranked in enumerate(lists):
        if not ranked:
            continue
        weight = 2.0 if i == 0 else 1.0
        best = ranked[0][1] if ranked[0][1] > 0 else 1.0
        for r, (doc, score) in enumerate(ranked):
            if method == 'rrf':
                acc[doc] = acc.get(doc, 0.0) + weight / (61 + r)
            else:
                acc[doc] = max(acc.get(doc, 0.0), weight * score / best)
    return [d for d, _ in sorted(acc.items(), key=lambda x: -x[1])]


def evaluate(supplies, demands, grades, own, options, sentences):
    engine = techmatch.Engine.open(options)
    engine.add([json.dumps(s, ensure_ascii=False) for s in supplies])
    engine.build()
    runs = {'whole': [], 'sentences, RRF': [], 'sentences, max': []}
    for d in demands:
        r = engine.match(json.dumps(d, ensure_ascii=False), k=100, explain=False)
        lists = [[(m.id, m.score) for m in r.matches]]
        if sentences:
            text = '。'.join(x for x in (d.get('title', ''), d.get('text', '')) if x)
            for s in SENTENCE_END.split(text):
                if len(s.strip()) >= 8:
                    rs = engine.match_text(s.strip(), k=100, explain=False)
                    lists.append([(m.id, m.score) for m in rs.matches])
        for name, ranked in (('whole', [x for x, _ in lists[0]]),
                             ('sentences, RRF', fuse(lists, 'rrf')),
                             ('sentences, max', fuse(lists, 'max'))):
            if name != 'whole' and not sentences:
                continue
            ranked = [x for x in ranked if x != own.get(d['id'])]
            runs[name].append(ndcg10(ranked, grades[d['id']]))
    return {k: statistics.mean(v) for k, v in runs.items() if v}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--csl', default=os.path.join(ROOT, '..', 'shared', 'data', 'csl-match'))
    args = ap.parse_args()
    proxies = [('A example data (15 demands)', proxy_a())]
    if os.path.exists(os.path.join(args.csl, 'corpus.jsonl')):
        p = proxy_b(args.csl)
        proxies.append(('B csl-match reversed (%d demands)' % len(p[1]), p))
    else:
        print('proxy B skipped: no csl-match data at %s' % args.csl, file=sys.stderr)
    print('| variant | ' + ' | '.join(n for n, _ in proxies) + ' |')
    print('|---|' + '---:|' * len(proxies))
    for i, (label, options) in enumerate(VARIANTS):
        cells, extra = [], []
        for _, (supplies, demands, grades, own) in proxies:
            r = evaluate(supplies, demands, grades, own, options, sentences=(i == 0))
            cells.append('%.3f' % r['whole'])
            extra.append(r)
        print('| %s | %s |' % (label, ' | '.join(cells)), flush=True)
        if i == 0:
            for name in ('sentences, RRF', 'sentences, max'):
                print('| engine, each sentence too (%s) | %s |' % (
                    name.split(', ')[1], ' | '.join('%.3f' % r[name] for r in extra)),
                    flush=True)


if __name__ == '__main__':
    main()
