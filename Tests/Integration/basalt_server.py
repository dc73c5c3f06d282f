"""Starts `basalt serve` on a free loopback port for the client tests and stops
it afterwards (SIGTERM, then SIGKILL if it hangs)."""
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from basalt_support import basalt_bin

REPO = Path(__file__).resolve().parents[2]
FIXTURE_LAKE = REPO / "Fixtures" / "lake"
ADMIN_PASSWORD = "s3cret-Basalt"


class BasaltServer:
    """A running `basalt serve`; `dsn()` and `url()` say how to reach it."""

    def __init__(self, lake, extra_args=(), password=ADMIN_PASSWORD, env=None):
        self.lake = Path(lake)
        self.password = password
        args = [str(basalt_bin()), "serve", "--lake", str(self.lake), "--port", "0", "--http-port", "0"]
        if password is not None:
            args += ["--admin-password", password]
        args += list(extra_args)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, **(env or {})})
        self.stderr_lines = []
        self.port = None
        self.metrics_port = None
        deadline = time.time() + 60
        line = ""
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r"on [\d.:a-z]+:(\d+) ", line)
            if m:
                self.port = int(m.group(1))
            m = re.search(r"^metrics: http://[\d.]+:(\d+)/", line)
            if m:
                self.metrics_port = int(m.group(1))
            if line.startswith("connect:"):
                break
        if self.port is None:
            self.proc.kill()
            raise RuntimeError("basalt serve did not start: %s %s" % (line, self.proc.stderr.read()))
        # Keep draining both pipes so the server never blocks on a full pipe.
        threading.Thread(target=self._drain, args=(self.proc.stdout, []), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.proc.stderr, self.stderr_lines), daemon=True).start()

    @staticmethod
    def _drain(pipe, sink):
        for line in pipe:
            sink.append(line)

    def dsn(self, user="admin", password=None, dbname="basalt", **extra):
        password = self.password if password is None else password
        parts = {"host": "127.0.0.1", "port": self.port, "dbname": dbname, "user": user, "password": password,
                 "sslmode": "disable", **extra}
        return " ".join("%s=%s" % (k, v) for k, v in parts.items() if v is not None)

    def url(self, scheme="postgresql", user="admin", password=None):
        password = self.password if password is None else password
        return "%s://%s:%s@127.0.0.1:%d/basalt" % (scheme, user, password, self.port)

    def env(self, user="admin", password=None):
        """Environment for psql / pgbench."""
        return {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(self.port), "PGDATABASE": "basalt",
                "PGUSER": user, "PGPASSWORD": self.password if password is None else password, "PGSSLMODE": "disable"}

    def metrics(self):
        """The /metrics page as {name{labels}: value}."""
        import urllib.request
        text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % self.metrics_port, timeout=10).read().decode()
        values = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                values[name] = float(value)
        return values

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def copy_fixture_lake(tmp_path):
    lake = Path(tmp_path) / "lake"
    shutil.copytree(FIXTURE_LAKE, lake, ignore=shutil.ignore_patterns("_basalt"))
    return lake
