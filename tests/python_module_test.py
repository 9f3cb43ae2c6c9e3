#!/usr/bin/env python3
"""The Python module `techmatch` as a user calls it (unittest).

  python_module_test.py BUILD_PYTHON_DIR EXAMPLES_DATA_DIR

Imports techmatch from BUILD_PYTHON_DIR (the build tree's python/); exits 77
(skipped) when the module was not built there. Over examples/data: open,
add, build, match a text / a record / a batch, filters, explanations, save
and load, caller vectors (lists, array.array, numpy when present), the
errors raised per status code, pickling and the JSON line of a result.
"""
import array
import json
import os
import pickle
import sys
import tempfile
import threading
import time
import unittest

SKIP = 77

if len(sys.argv) < 3:
    print(__doc__)
    sys.exit(2)
PYTHON_DIR = os.path.abspath(sys.argv[1])
EXAMPLES = os.path.abspath(sys.argv[2])
del sys.argv[1:3]
if not os.path.isfile(os.path.join(PYTHON_DIR, 'techmatch', '__init__.py')):
    print(f'techmatch Python module not built in {PYTHON_DIR}: skipped')
    sys.exit(SKIP)
sys.path.insert(0, PYTHON_DIR)
import techmatch  # noqa: E402

TODAY = '2026-12-01'  # fixes the recency feature: reproducible scores


def read_jsonl(name):
    with open(os.path.join(EXAMPLES, name), encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


SUPPLIES = read_jsonl('supply.jsonl')
DEMANDS = read_jsonl('demand.jsonl')
D001_FITS = {'S0008', 'S0227', 'S0249'}  # examples/data/README.md


def example_options():
    return {'analyzer': {'dictionary_file': os.path.join(EXAMPLES, 'tech_terms.txt')},
            'embedder': {'dim': 32}, 'dense': {'spec': 'Flat'}}


class ExampleEngineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = techmatch.Engine.open(example_options(), threads=2)
        cls.engine.add(SUPPLIES)
        cls.engine.add(DEMANDS)
        cls.engine.build()

    def test_imported_from_the_build_tree(self):
        self.assertTrue(techmatch.__file__.startswith(PYTHON_DIR), techmatch.__file__)
        self.assertRegex(techmatch.__version__, r'^\d+\.\d+\.\d+$')

    def test_stats_and_records(self):
        self.assertEqual(len(self.engine), 315)
        st = self.engine.stats()
        self.assertEqual((st['supplies'], st['demands'], st['built']), (300, 15, True))
        self.assertEqual(st['embedding_dim'], 32)
        r = self.engine.get('S0001')
        self.assertEqual(r['title'], SUPPLIES[0]['title'])
        self.assertEqual(r['kind'], 'supply')
        self.assertTrue(self.engine.contains('D001', kind='demand'))
        self.assertFalse(self.engine.contains('D001'))

    def test_match_text(self):
        text = '钒电池电解液低成本制备'
        r = self.engine.match_text(text, k=3, today=TODAY)
        self.assertIsInstance(r, techmatch.MatchResult)
        self.assertEqual(r.query_id, '')
        self.assertEqual(len(r.matches), 3)
        self.assertIsInstance(r.needs_follow_up, bool)
        self.assertTrue(0 < r.confidence <= 1)
        self.assertEqual([m.rank for m in r.matches], [1, 2, 3])
        self.assertTrue(all(m.kind == 'supply' for m in r.matches))
        scores = [m.score for m in r.matches]
        self.assertEqual(scores, sorted(scores, reverse=True))
        self.assertIn(r.matches[0].id, D001_FITS)
        for m in r.matches:
            e = m.explanation
            self.assertIsInstance(e, techmatch.Explanation)
            self.assertIn(e.found_by, ('lexical', 'dense', 'both'))
            self.assertEqual([f.name for f in e.features][:3],
                             ['lexical', 'dense', 'centroid'])
            total = e.bias + sum(f.contribution for f in e.features)
            self.assertAlmostEqual(total, m.score, places=9)
            self.assertTrue(e.matched_terms)
            qbytes = text.encode('utf-8')
            for t in e.matched_terms:
                for s in t.query_spans:
                    self.assertEqual(s.field, 'text')
                    self.assertTrue(0 <= s.begin < s.end <= len(qbytes))
                    qbytes[s.begin:s.end].decode('utf-8')  # on boundaries

    def test_synonyms(self):
        def via(r):
            return any(t.synonym_of == 'vrfb' for m in r.matches
                       for t in m.explanation.matched_terms)
        self.assertFalse(via(self.engine.match_text('VRFB 储能', k=5, today=TODAY)))
        try:
            self.engine.set_synonyms_text('VRFB, 钒电池\n', source='inline')
            self.assertEqual(self.engine.stats()['synonym_rules'], 1)
            r = self.engine.match_text('VRFB 储能', k=5, today=TODAY)
            self.assertTrue(via(r))
            self.assertIn('"synonym_of":"vrfb"', r.to_json())
            # Per call: 0 turns them off, in every match function.
            self.assertFalse(via(self.engine.match_text('VRFB 储能', k=5, today=TODAY,
                                                        synonym_weight=0)))
            self.assertFalse(via(self.engine.match({'id': 'Q', 'kind': 'demand',
                                                    'text': 'VRFB 储能'},
                                                   k=5, today=TODAY, synonym_weight=0)))
            off, on = self.engine.match_batch(['VRFB 储能'] * 2, k=5, today=TODAY,
                                              synonym_weight=0), \
                self.engine.match_batch(['VRFB 储能'], k=5, today=TODAY, synonym_weight=2)
            self.assertFalse(any(via(x) for x in off))
            self.assertTrue(via(on[0]))
            with self.assertRaisesRegex(ValueError, 'synonym_weight'):
                self.engine.match_text('VRFB', synonym_weight=11)
            with self.assertRaisesRegex(ValueError, 'inline:1'):
                self.engine.set_synonyms_text('alone\n', source='inline')
            self.assertEqual(self.engine.stats()['synonym_rules'], 1)
        finally:
            self.engine.set_synonyms_text('')
        self.assertEqual(self.engine.stats()['synonym_rules'], 0)

    def test_match_record_and_batch_agree(self):
        d001 = DEMANDS[0]
        one = self.engine.match(d001, k=5, today=TODAY)
        self.assertEqual(one.query_id, 'D001')
        self.assertIn(one.matches[0].id, D001_FITS)
        self.assertEqual(one.category, d001['categories'][0])
        self.assertFalse(one.category_inferred)
        text = '边坡变形监测'
        batch = self.engine.match_batch(DEMANDS + [text], threads=2, k=5, today=TODAY)
        self.assertEqual([r.query_id for r in batch], [d['id'] for d in DEMANDS] + [''])
        self.assertEqual(batch[0], one)
        self.assertEqual(batch[-1], self.engine.match_text(text, k=5, today=TODAY))

    def test_threads_share_one_engine(self):
        want = [self.engine.match(d, k=5, today=TODAY) for d in DEMANDS]
        got = [None] * 4

        def work(i):
            got[i] = [self.engine.match(d, k=5, today=TODAY) for d in DEMANDS]

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(got, [want] * 4)

    def test_gil_released_while_matching(self):
        # A counter thread that sleeps briefly (releasing the GIL) between
        # increments. While the main thread is inside an engine call that
        # kept the GIL, the counter cannot run at all (a C call is never
        # preempted; at most one increment slips in at the bytecode
        # boundaries around it); while a call that released the GIL runs
        # for tens of milliseconds, the counter advances many times. Each
        # call is made long enough (a batch, a long query) for that, with
        # no dependence on how the threads happen to be scheduled.
        long_text = ' '.join(d['text'] for d in DEMANDS) * 20
        long_record = dict(DEMANDS[0], id='LONG', text=long_text)
        calls = {'match_batch': lambda: self.engine.match_batch(DEMANDS * 4, threads=1),
                 'match_text': lambda: self.engine.match_text(long_text),
                 'match': lambda: self.engine.match(long_record)}
        for name, call in calls.items():
            count = [0]
            stop = threading.Event()

            def counter():
                while not stop.is_set():
                    count[0] += 1
                    time.sleep(0.0002)

            worker = threading.Thread(target=counter)
            worker.start()
            try:
                time.sleep(0.01)
                before = count[0]
                call()
                during = count[0] - before
            finally:
                stop.set()
                worker.join()
            self.assertGreaterEqual(during, 5, f'{name} kept the GIL')

    def test_filters_target_and_no_explanation(self):
        r = self.engine.match_text('钒电池电解液', k=10, today=TODAY,
                                   filters={'region': '四川省', 'min_maturity': 6})
        self.assertTrue(r.matches)
        for m in r.matches:
            rec = self.engine.get(m.id)
            self.assertTrue(rec['region'].startswith('四川省'))
            self.assertGreaterEqual(rec['maturity'], 6)
        r = self.engine.match_text('钒电池电解液', k=4, target='demand', explain=False)
        self.assertEqual(len(r.matches), 4)
        self.assertTrue(all(m.kind == 'demand' and m.explanation is None
                            for m in r.matches))

    def test_results_are_plain_values(self):
        r = self.engine.match(DEMANDS[1], k=3, today=TODAY)
        self.assertEqual(pickle.loads(pickle.dumps(r)), r)
        d = r.to_dict()
        self.assertEqual(d['matches'][0]['id'], r.matches[0].id)
        self.assertIn('confidence', d)
        line = json.loads(r.to_json())
        self.assertEqual(list(line), ['query_id', 'confidence', 'needs_follow_up',
                                      'category', 'category_inferred', 'matches'])
        self.assertEqual(list(line['matches'][0]),
                         ['rank', 'kind', 'id', 'score', 'lexical_score',
                          'dense_score', 'probability', 'explanation'])
        probs = [m.probability for m in r.matches]
        self.assertEqual(probs[0], r.confidence)
        self.assertEqual(probs, sorted(probs, reverse=True))
        self.assertAlmostEqual(line['matches'][0]['score'], r.matches[0].score, places=6)
        self.assertIn('D002', repr(r))

    def test_save_and_load(self):
        with tempfile.TemporaryDirectory() as tmp:
            snap = os.path.join(tmp, 'snap')
            self.engine.save(snap)
            loaded = techmatch.Engine.load(snap)
            self.assertEqual(len(loaded), 315)
            self.assertEqual(loaded.match(DEMANDS[2], k=5, today=TODAY),
                             self.engine.match(DEMANDS[2], k=5, today=TODAY))
            # A flipped byte in the snapshot file: CorruptionError.
            files = [os.path.join(snap, f) for f in os.listdir(snap)]
            biggest = max(files, key=os.path.getsize)
            with open(biggest, 'r+b') as f:
                f.seek(os.path.getsize(biggest) // 2)
                byte = f.read(1)
                f.seek(-1, os.SEEK_CUR)
                f.write(bytes([byte[0] ^ 0x55]))
            with self.assertRaises(techmatch.CorruptionError) as cm:
                techmatch.Engine.load(snap)
            self.assertIn(os.path.basename(biggest), str(cm.exception))

    def test_errors_per_status_code(self):
        e = self.engine
        with self.assertRaises(techmatch.InvalidArgumentError) as cm:
            e.add([{'id': 'X1', 'title': 'a'}, {'title': 'no id'}])
        self.assertIn('records[1]', str(cm.exception))
        self.assertIsInstance(cm.exception, ValueError)
        self.assertIsInstance(cm.exception, techmatch.Error)
        self.assertEqual(cm.exception.code_name, 'InvalidArgument')
        self.assertFalse(e.contains('X1'))
        with self.assertRaises(techmatch.InvalidArgumentError) as cm:
            e.add({'id': 'S0001'})
        self.assertIn('S0001', str(cm.exception))
        with self.assertRaises(techmatch.NotFoundError) as cm:
            e.get('NO-SUCH-ID')
        self.assertIn('NO-SUCH-ID', str(cm.exception))
        self.assertIsInstance(cm.exception, LookupError)
        with self.assertRaises(techmatch.NotFoundError):
            e.remove(['S0001', 'NO-SUCH-ID'])
        self.assertTrue(e.contains('S0001'))
        with self.assertRaises(techmatch.InvalidArgumentError) as cm:
            e.match_text('x', k=0)
        with self.assertRaises(techmatch.InvalidArgumentError) as cm:
            e.match_text('x', filters={'colour': 'red'})
        self.assertIn('colour', str(cm.exception))
        with self.assertRaises(techmatch.InvalidArgumentError) as cm:
            e.match_text('x', today='2026-02-30')
        self.assertIn('today', str(cm.exception))
        with self.assertRaises(techmatch.InvalidArgumentError) as cm:
            e.match({'id': 'q', 'maturity': 12})
        self.assertIn('maturity', str(cm.exception))
        with self.assertRaises(TypeError):
            e.match_batch([42])
        missing = os.path.join(tempfile.gettempdir(), 'techmatch-no-such-snapshot')
        with self.assertRaises(techmatch.NotFoundError) as cm:
            techmatch.Engine.load(missing)
        self.assertIn(missing, str(cm.exception))
        with self.assertRaises(techmatch.InvalidArgumentError) as cm:
            techmatch.Engine.open({'lexical': {'k3': 1}})
        self.assertIn('lexical.k3', str(cm.exception))
        with self.assertRaises(techmatch.InvalidArgumentError) as cm:
            techmatch.Engine.open(embedder={'dim': 'big'})
        self.assertIn('embedder.dim', str(cm.exception))
        fresh = techmatch.Engine.open()
        with self.assertRaises(techmatch.FailedPreconditionError):
            fresh.match_text('x')
        with self.assertRaises(techmatch.FailedPreconditionError):
            fresh.build()


class CallerVectorsTest(unittest.TestCase):
    RECORDS = [{'id': 'A', 'title': '钛合金 3D打印'},
               {'id': 'B', 'title': '石墨烯 负极材料'},
               {'id': 'C', 'title': '钒电池 电解液'}]

    def open(self):
        return techmatch.Engine.open({'embedder': {'kind': 'external', 'dim': 4},
                                      'dense': {'spec': 'Flat'}})

    def check_top(self, engine, vector):
        r = engine.match_text('电解液', vector=vector, k=3)
        self.assertEqual([m.id for m in r.matches][0], 'C')

    def test_lists(self):
        e = self.open()
        with self.assertRaises(techmatch.InvalidArgumentError):
            e.add(self.RECORDS)  # no vectors
        with self.assertRaises(techmatch.InvalidArgumentError) as cm:
            e.add(self.RECORDS, vectors=[[1, 0, 0], [0, 1, 0], [0, 0, 1]])
        self.assertIn('dim', str(cm.exception))
        with self.assertRaises(techmatch.InvalidArgumentError):
            e.add(self.RECORDS, vectors=[[1, 0, 0, 0], [0, 1, 0]])
        e.add(self.RECORDS, vectors=[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])
        e.build()
        self.check_top(e, [0, 0.1, 1, 0])
        with self.assertRaises(techmatch.InvalidArgumentError):
            e.match_text('电解液', vector=[0, 0, 1])
        out = e.match_batch(['电解液', '石墨烯'], vectors=[[0, 0, 1, 0], [0, 1, 0, 0]])
        self.assertEqual([r.matches[0].id for r in out], ['C', 'B'])

    def test_buffers(self):
        e = self.open()
        flat = array.array('f', [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0])
        rows = memoryview(flat).cast('B').cast('f', [3, 4])
        e.add(self.RECORDS, vectors=rows)
        e.build()
        self.check_top(e, array.array('d', [0, 0.1, 1, 0]))
        with self.assertRaises(techmatch.InvalidArgumentError):
            e.match_text('x', vector=array.array('i', [0, 0, 1, 0]))

    def test_numpy(self):
        try:
            import numpy as np
        except ImportError:
            self.skipTest('numpy is not installed')
        e = self.open()
        e.add(self.RECORDS, vectors=np.eye(3, 4, dtype=np.float32))
        e.build()
        self.check_top(e, np.array([0, 0.1, 1, 0]))
        self.check_top(e, np.eye(4)[:, 2])  # a strided view


if __name__ == '__main__':
    unittest.main(verbosity=2)
