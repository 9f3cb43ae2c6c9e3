"""Helpers for the tests that run `techmatch serve` as a user would
(serve_test.py, browser_test.py) and for the serve benchmark: checks with
a tally, the CLI, a server child process on a free loopback port, JSON
requests."""
import json
import signal
import subprocess
import urllib.error
import urllib.request


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
        print(f'{self.passed} passed, {self.failed} failed')
        return 1 if self.failed else 0


def run(binary, *args, timeout=600):
    """Runs the CLI; .out / .err are decoded."""
    r = subprocess.run([binary, *args], capture_output=True, timeout=timeout)
    r.out = r.stdout.decode('utf-8', errors='replace')
    r.err = r.stderr.decode('utf-8', errors='replace')
    return r


def request(port, method, path, body=None, timeout=30, headers=None):
    """(HTTP status, parsed JSON or None) from 127.0.0.1:port."""
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode('utf-8')
    h = {'Content-Type': 'application/json'}
    h.update(headers or {})
    req = urllib.request.Request(f'http://127.0.0.1:{port}{path}', data=data, method=method,
                                 headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, json.loads(res.read() or b'null')
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw or b'null')
        except ValueError:
            return e.code, None


class Server:
    """`techmatch serve --port 0` in a child process on loopback; the port
    comes from its 'listening on' line (None when it did not start)."""

    def __init__(self, binary, index, *extra):
        self.proc = subprocess.Popen([binary, 'serve', '--index', index, '--port', '0', *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline().decode()
        self.port = int(line.rsplit(':', 1)[1].strip('/\n')) if 'listening on' in line else None
        self.err = ''

    def stop(self, sig=signal.SIGTERM, timeout=120):
        """Signals it, waits; returns the exit code (negative: a signal)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.err = self.proc.stderr.read().decode('utf-8', errors='replace')
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode
