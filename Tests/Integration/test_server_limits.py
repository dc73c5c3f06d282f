"""The server under load and abuse: admission control (20 at once, a bounded
FIFO queue with a timeout), cancellation by disconnect, hundreds of idle
connections in bounded memory, malformed input, TLS."""
import socket
import struct
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from basalt_server import BasaltServer, copy_fixture_lake

SLOW = ("SELECT sum(a.a * b.b) FROM generate_series(1, 30000) a "
        "CROSS JOIN generate_series(1, {}) b")


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def startup_packet(user="admin", database="basalt"):
    body = struct.pack("!i", 196608) + b"user\0" + user.encode() + b"\0database\0" + database.encode() + b"\0\0"
    return struct.pack("!i", len(body) + 4) + body


def read_message(sock):
    header = b""
    while len(header) < 5:
        chunk = sock.recv(5 - len(header))
        if not chunk:
            return None, None
        header += chunk
    kind, length = header[:1], struct.unpack("!i", header[1:])[0]
    body = b""
    while len(body) < length - 4:
        chunk = sock.recv(length - 4 - len(body))
        if not chunk:
            break
        body += chunk
    return kind, body


def read_until_ready(sock):
    kinds = []
    while True:
        kind, body = read_message(sock)
        if kind is None:
            return kinds
        kinds.append((kind, body))
        if kind == b"Z":
            return kinds


@pytest.fixture(scope="module")
def trust_server(tmp_path_factory):
    lake = copy_fixture_lake(tmp_path_factory.mktemp("trust"))
    s = BasaltServer(lake, extra_args=["--auth", "trust", "--max-concurrent-queries", "20"], password=None)
    yield s
    s.stop()


def test_trust_is_refused_beyond_loopback(tmp_path):
    lake = copy_fixture_lake(tmp_path)
    out = subprocess.run([str(__import__("basalt_support").basalt_bin()), "serve", "--lake", str(lake), "--port", "0",
                          "--auth", "trust", "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "loopback" in out.stderr


def test_malformed_input_closes_only_that_connection(trust_server):
    cases = [
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",                  # garbage before the startup packet
        struct.pack("!ii", 8, 0x00020000),                      # protocol 2
        struct.pack("!i", 0x7FFFFFFF),                          # absurd startup length
        startup_packet() + b"Q" + struct.pack("!i", 0x7FFFFFF0),  # absurd message length
        startup_packet() + b"?" + struct.pack("!i", 4),           # unknown message type
        startup_packet() + b"Q" + struct.pack("!i", 8) + b"abcd",  # unterminated string
    ]
    for payload in cases:
        with socket.create_connection(("127.0.0.1", trust_server.port), timeout=10) as s:
            s.sendall(payload)
            kinds = []
            while True:
                kind, body = read_message(s)
                if kind is None:
                    break
                kinds.append(kind)
                if kind == b"E":
                    assert b"08P01" in body or b"0A000" in body, body
            assert b"E" in kinds, "no error for %r" % payload[:20]
    # Truncated messages and vanishing clients: the server carries on.
    for payload in [startup_packet()[:7], startup_packet() + b"Q\0\0\0\x20SELECT"]:
        s = socket.create_connection(("127.0.0.1", trust_server.port), timeout=10)
        s.sendall(payload)
        s.close()
    import psycopg
    with psycopg.connect(trust_server.dsn(password=""), autocommit=True) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def query_message(sql):
    body = sql.encode() + b"\0"
    return b"Q" + struct.pack("!i", len(body) + 4) + body


def test_messages_split_or_batched_arbitrarily(trust_server):
    """Bytes a byte at a time, or many messages in one write, decode the same."""
    with socket.create_connection(("127.0.0.1", trust_server.port), timeout=10) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in startup_packet() + query_message("SELECT 41 + 1"):
            s.sendall(bytes([byte]))
            time.sleep(0.0005)
        kinds = read_until_ready(s)  # authentication and parameters, up to ReadyForQuery
        reply = read_until_ready(s)
        rows = [body for kind, body in reply if kind == b"D"]
        assert len(rows) == 1 and rows[0].endswith(b"42"), reply
        # Three queries in one write: three answers, in order.
        s.sendall(b"".join(query_message("SELECT %d" % i) for i in (1, 2, 3)))
        for i in (1, 2, 3):
            reply = read_until_ready(s)
            assert [body for kind, body in reply if kind == b"D"][0].endswith(str(i).encode()), reply
        assert kinds[-1][0] == b"Z"


def test_500_idle_connections_in_bounded_memory(trust_server):
    before = rss_kib(trust_server.proc.pid)
    socks = []
    try:
        for _ in range(500):
            s = socket.create_connection(("127.0.0.1", trust_server.port), timeout=30)
            s.sendall(startup_packet())
            socks.append(s)
        for s in socks:
            kinds = [k for k, _ in read_until_ready(s)]
            assert kinds[-1] == b"Z", kinds
        time.sleep(2)  # worker threads of idle connections end after a moment
        after = rss_kib(trust_server.proc.pid)
        # Well under 100 KiB per idle connection.
        assert after - before < 500 * 100, "RSS grew by %d KiB for 500 idle connections" % (after - before)
        import psycopg
        with psycopg.connect(trust_server.dsn(password=""), autocommit=True) as conn:
            assert conn.execute("SELECT count(*) FROM test.orders").fetchone() == (18,)
    finally:
        for s in socks:
            s.close()


def test_100_clients_20_queries_at_once(trust_server):
    import psycopg

    def client(i):
        with psycopg.connect(trust_server.dsn(password=""), autocommit=True) as conn:
            return conn.execute(SLOW.format(200)).fetchone()[0]

    with ThreadPoolExecutor(100) as pool:
        results = list(pool.map(client, range(100)))
    expected = (30000 * 30001 // 2) * (200 * 201 // 2)
    assert results == [expected] * 100
    metrics = trust_server.metrics()
    assert 2 <= metrics["basalt_queries_running_peak"] <= 20, metrics
    assert metrics["basalt_queries_running"] == 0 and metrics["basalt_queue_depth"] == 0
    assert metrics['basalt_queries_total{outcome="success"}'] >= 100


def test_queue_bound_and_timeout(tmp_path):
    import psycopg
    lake = copy_fixture_lake(tmp_path)
    s = BasaltServer(lake, extra_args=["--auth", "trust", "--max-concurrent-queries", "1", "--max-queued-queries", "1",
                                       "--queue-timeout", "1"], password=None)
    try:
        slow = SLOW.format(300000)
        first = psycopg.connect(s.dsn(password=""), autocommit=True)
        errors = {}

        def run_first():
            try:
                first.execute(slow)
            except psycopg.Error as e:
                errors["first"] = e

        t = threading.Thread(target=run_first)
        t.start()
        time.sleep(0.5)
        waiter_result = {}

        def run_waiter():
            with psycopg.connect(s.dsn(password=""), autocommit=True) as c:
                try:
                    c.execute("SELECT 1")
                    waiter_result["ok"] = True
                except psycopg.Error as e:
                    waiter_result["error"] = e

        w = threading.Thread(target=run_waiter)
        w.start()
        time.sleep(0.3)
        with psycopg.connect(s.dsn(password=""), autocommit=True) as c:
            with pytest.raises(psycopg.errors.TooManyConnections):  # 53300: the queue is full
                c.execute("SELECT 2")
        w.join(10)
        assert isinstance(waiter_result.get("error"), psycopg.errors.QueryCanceled), waiter_result  # waited 1 s
        # A client that vanishes mid-query frees its slot: close the socket under the running query.
        first.pgconn.finish()
        t.join(10)
        deadline = time.time() + 5
        with psycopg.connect(s.dsn(password=""), autocommit=True) as c:
            while True:
                try:
                    assert c.execute("SELECT 3").fetchone() == (3,)
                    break
                except psycopg.errors.QueryCanceled:
                    assert time.time() < deadline, "the vanished client's query kept its slot"
    finally:
        s.stop()


def test_tls(tmp_path):
    import psycopg
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    lake = copy_fixture_lake(tmp_path)
    s = BasaltServer(lake, extra_args=["--tls-cert", str(cert), "--tls-key", str(key)])
    try:
        with psycopg.connect(s.dsn(sslmode="require"), autocommit=True) as conn:
            assert conn.pgconn.ssl_in_use
            assert conn.execute("SELECT count(*) FROM test.orders").fetchone() == (18,)
        with psycopg.connect(s.dsn(sslmode="verify-ca", sslrootcert=str(cert)), autocommit=True) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        # Without TLS configured the server says 'N' and sslmode=require fails cleanly.
    finally:
        s.stop()
    plain = BasaltServer(copy_fixture_lake(tmp_path / "plain"))
    try:
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(plain.dsn(sslmode="require"))
        with psycopg.connect(plain.dsn(sslmode="prefer"), autocommit=True) as conn:
            assert not conn.pgconn.ssl_in_use
    finally:
        plain.stop()


def test_per_user_limit_and_graceful_shutdown(tmp_path):
    import psycopg
    lake = copy_fixture_lake(tmp_path)
    s = BasaltServer(lake, extra_args=["--max-concurrent-queries", "4", "--max-queries-per-user", "1", "--queue-timeout", "1"])
    try:
        with psycopg.connect(s.dsn(), autocommit=True) as admin:
            admin.execute("SELECT 1")
        slow = SLOW.format(20000)  # a few seconds: still running when the second query gives up
        results = {}

        def run(name):
            try:
                with psycopg.connect(s.dsn(), autocommit=True) as c:
                    results[name] = c.execute(slow).fetchone()[0]
            except psycopg.Error as e:
                results[name] = e

        first = threading.Thread(target=run, args=("first",))
        first.start()
        time.sleep(0.4)
        # The same user's second query waits behind its first (one slot per user) and times out.
        with psycopg.connect(s.dsn(), autocommit=True) as c:
            start = time.time()
            with pytest.raises(psycopg.errors.QueryCanceled):
                c.execute("SELECT 2")
            assert 0.8 < time.time() - start < 10
        # SIGTERM while the first query runs: it finishes, then the server exits cleanly.
        assert s.stop() == 0
        first.join(30)
        assert results["first"] == (30000 * 30001 // 2) * (20000 * 20001 // 2), results
    finally:
        s.stop()
