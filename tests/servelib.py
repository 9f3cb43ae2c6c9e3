"""Helpers for the tests that run `techmatch serve` as a user would
(serve_test.py, browser_test.py, replicas_test.py) and the replicas
benchmark: the sample index, a server child process on a free loopback
port, JSON requests, haproxy's configuration in front of replicas."""
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

from script_check import run


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


def index_examples(binary, examples, out):
    """`techmatch index` of the sample data (EXAMPLES_DATA_DIR) into out;
    exits 1 when it fails (nothing else can run)."""
    r = run(binary, 'index', '--records', os.path.join(examples, 'supply.jsonl'),
            '--records', os.path.join(examples, 'demand.jsonl'),
            '--dict', os.path.join(examples, 'tech_terms.txt'), '--out', out)
    if r.returncode != 0:
        print('index failed:', r.err)
        sys.exit(1)
    return out


def haproxy_config(port, replica_ports, check_interval='300ms'):
    """haproxy in front of read-only replicas (docs/scale.md): round robin,
    health checks on /healthz, a failed connection retried on another."""
    servers = '\n'.join(f'  server r{i} 127.0.0.1:{p} check inter {check_interval} fall 2 rise 1'
                        for i, p in enumerate(replica_ports))
    return f"""global
  maxconn 1024
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 3
  option redispatch
  retry-on conn-failure empty-response
frontend matches
  bind 127.0.0.1:{port}
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /healthz
{servers}
"""
