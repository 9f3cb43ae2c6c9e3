"""What the Python test scripts share (cli_*_test.py, dask_match_test.py,
serve_test.py, browser_test.py): ok/FAIL lines with a final count, the
skip exit code, and running the command-line tool."""
import json
import subprocess

SKIP = 77  # ctest SKIP_RETURN_CODE (tests/CMakeLists.txt TECHMATCH_SKIP_CODE)


class Tally:
    """ok/FAIL lines and the final count."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, cond, detail=''):
        if cond:
            self.passed += 1
            print(f'ok   {name}', flush=True)
        else:
            self.failed += 1
            print(f'FAIL {name} {str(detail)[:2000]}', flush=True)
        return cond

    def summary(self):
        """Prints 'N passed, N failed'; the exit code (1 on any failure)."""
        print(f'{self.passed} passed, {self.failed} failed')
        return 1 if self.failed else 0


def run(binary, *args, timeout=600):
    """Runs the CLI; .out / .err are decoded."""
    r = subprocess.run([binary, *args], capture_output=True, timeout=timeout)
    r.out = r.stdout.decode('utf-8', errors='replace')
    r.err = r.stderr.decode('utf-8', errors='replace')
    return r


def failed_cleanly(r):
    """Non-zero exit, not killed by a signal, a message on stderr."""
    return r.returncode > 0 and r.err.strip() != ''


def read_jsonl(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]
