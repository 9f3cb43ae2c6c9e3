#!/usr/bin/env python3
"""`techmatch segment` as a user runs it.

  cli_segment_test.py --part basic|msr TECHMATCH_BINARY SHARED_DIR

basic: the output keeps every input character and one line per input line,
--dict applies, bad input fails with the line number.
msr: scores the SIGHAN 2005 MSR test set in SHARED_DIR with its own
segscore.py (F1 >= 0.79 without a dictionary, >= 0.94 with the training
word list); exits 77 (skipped) when SHARED_DIR does not have it.
SHARED_DIR is overridden by the environment variable TECHMATCH_SHARED_DIR.
Prints 'N passed, N failed'.
"""
import json
import os
import subprocess
import sys
import tempfile

from script_check import SKIP, Tally

if len(sys.argv) != 5 or sys.argv[1] != '--part' or sys.argv[2] not in ('basic', 'msr'):
    sys.exit(__doc__)
part, binary, shared = sys.argv[2], sys.argv[3], sys.argv[4]
shared = os.environ.get('TECHMATCH_SHARED_DIR', shared)
tally = Tally()
check = tally.check


def segment(text, *args):
    return subprocess.run([binary, 'segment', *args], input=text.encode('utf-8'),
                          capture_output=True)


def basic_checks():
    text = ('钛合金Ti-6Al-4V的3D打印，PM2.5和5G、SiC器件。\n'
            '鋰電池正極材料\r\n'
            '\n'
            'ＡＢＣ１２３　全角 text with  spaces\n'
            '最后一行没有换行')
    r = segment(text)
    out = r.stdout.decode('utf-8')
    check('exit code 0', r.returncode == 0, r.stderr)
    check('one output line per input line', len(out.split('\n')) - 1 == 5, repr(out))
    in_chars = ''.join(text.replace('\r', '').split())
    out_chars = ''.join(out.split())
    check('every character kept, unchanged', in_chars == out_chars,
          f'{in_chars!r} vs {out_chars!r}')
    check('single spaces between words', '  ' not in out)
    check('model code kept whole', 'Ti-6Al-4V' in out.split())
    check('original characters, not normalized', 'ＡＢＣ１２３' in out.split() and '鋰' in out)

    with tempfile.TemporaryDirectory() as d:
        dict_path = os.path.join(d, 'dict.txt')
        with open(dict_path, 'w', encoding='utf-8') as f:
            f.write('石墨烯负极材料 5\n')
        r = segment('石墨烯负极材料的制备\n', '--dict', dict_path)
        check('--dict keeps a domain term whole',
              r.stdout.decode('utf-8').split()[0] == '石墨烯负极材料', r.stdout)
        r = segment('x\n', '--dict', os.path.join(d, 'missing.txt'))
        check('missing dictionary fails', r.returncode != 0)

    r = subprocess.run([binary, 'segment'], input=b'ok\n\xff\xfe bad\n', capture_output=True)
    check('invalid UTF-8 fails naming the line',
          r.returncode != 0 and b'line 2' in r.stderr, r.stderr)
    r = subprocess.run([binary, 'segment', '--help'], capture_output=True)
    check('--help works', r.returncode == 0 and b'segment' in r.stdout)


def msr_checks():
    msr = os.path.join(shared, 'data', 'sighan2005-msr')
    if not os.path.isfile(os.path.join(msr, 'msr_test.utf8')):
        print(f'SKIPPED: {msr} is absent: MSR scoring cannot run')
        sys.exit(SKIP)
    for label, args, floor in (('no dictionary', [], 0.79),
                               ('training words', ['--dict', os.path.join(msr, 'msr_training_words.utf8')], 0.94)):
        with open(os.path.join(msr, 'msr_test.utf8'), 'rb') as f:
            r = subprocess.run([binary, 'segment', *args], stdin=f, capture_output=True)
        with tempfile.NamedTemporaryFile(suffix='.txt', delete=False) as tmp:
            tmp.write(r.stdout)
        score = subprocess.run([sys.executable, os.path.join(msr, 'segscore.py'),
                                os.path.join(msr, 'msr_test_gold.utf8'), tmp.name,
                                '--dict', os.path.join(msr, 'msr_training_words.utf8')],
                               capture_output=True, text=True)
        os.unlink(tmp.name)
        res = json.loads(score.stdout)
        print(f'MSR ({label}): {score.stdout.strip()}')
        check(f'MSR F1 with {label} >= {floor}', res['F1'] >= floor and res['misaligned_lines'] == 0, res)


if part == 'basic':
    basic_checks()
else:
    msr_checks()

sys.exit(tally.summary())
