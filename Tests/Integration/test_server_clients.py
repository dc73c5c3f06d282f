"""`basalt serve` driven by real PostgreSQL clients: psql, psycopg 3 (text and
binary), psycopg2, asyncpg (prepared statements, binary codecs, cursors),
pg8000. Results are compared with DuckDB reading the same Parquet files."""
import asyncio
import datetime
import decimal
import subprocess
import threading
import time

import duckdb
import pytest

from basalt_server import BasaltServer, copy_fixture_lake


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    lake = copy_fixture_lake(tmp_path_factory.mktemp("serve"))
    s = BasaltServer(lake)
    yield s
    assert s.stop() == 0, "server did not shut down cleanly: %s" % "".join(s.stderr_lines[-20:])


def duck(server, sql):
    """The same query in DuckDB over the fixture lake's files."""
    con = duckdb.connect()
    for table in ("orders", "customers", "products", "people", "numbers"):
        con.execute("CREATE VIEW %s AS SELECT * FROM read_parquet('%s/test/%s/*.parquet')" % (table, server.lake, table))
    return con.execute(sql).fetchall()


ORDERS_QUERY = ("SELECT order_id, customer_id, product_id, quantity, amount, order_date, shipped_at, status, priority "
                "FROM {}orders ORDER BY order_id")


def test_psql_runs_queries_and_reports_errors(server):
    out = subprocess.run(["psql", "-X", "-A", "-t", "-c", "SELECT count(*), sum(amount) FROM test.orders"],
                         env=server.env(), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    expected = duck(server, "SELECT count(*), sum(amount) FROM orders")[0]
    assert out.stdout.strip() == "%d|%s" % expected

    # Several statements in one query string; the error names SQLSTATE and position.
    out = subprocess.run(["psql", "-X", "-v", "VERBOSITY=verbose", "-c", "SELECT 1; SELECT nosuch FROM test.orders"],
                         env=server.env(), capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "42703" in out.stderr and "nosuch" in out.stderr, out.stderr


def test_wrong_password_and_unknown_database(server):
    import psycopg
    with pytest.raises(psycopg.OperationalError) as e:
        psycopg.connect(server.dsn(password="wrong"))
    assert "password authentication failed" in str(e.value)
    with pytest.raises(psycopg.OperationalError) as e:
        psycopg.connect(server.dsn(user="nobody", password="x"))
    assert "password authentication failed" in str(e.value)  # no hint that the user does not exist
    with pytest.raises(psycopg.OperationalError) as e:
        psycopg.connect(server.dsn(dbname="postgres"))
    assert 'database "postgres" does not exist' in str(e.value)

    out = subprocess.run(["psql", "-X", "-c", "SELECT 1"], env=server.env(password="wrong"),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "password authentication failed" in out.stderr


@pytest.mark.parametrize("binary", [False, True])
def test_psycopg3_types_match_duckdb(server, binary):
    import psycopg
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        cur = conn.cursor(binary=binary)
        rows = cur.execute(ORDERS_QUERY.format("test.")).fetchall()
        assert rows == duck(server, ORDERS_QUERY.format(""))
        # Types arrive as Python's: Decimal for numeric, date, datetime.
        assert any(isinstance(r[4], decimal.Decimal) for r in rows)
        assert all(isinstance(r[5], datetime.date) for r in rows if r[5] is not None)

        people = "SELECT id, name, birth_date, created_at, {}, active, score, height_cm, salary FROM {}people ORDER BY id"
        got = cur.execute(people.format("updated_at", "test.")).fetchall()
        # timestamptz arrives aware (UTC); DuckDB gives it here as naive UTC.
        want = duck(server, people.format("timezone('UTC', updated_at)", ""))
        assert [r[:4] + r[5:] for r in got] == [r[:4] + r[5:] for r in want]
        for g, w in zip(got, want):
            assert (g[4] is None and w[4] is None) or g[4] == w[4].replace(tzinfo=datetime.timezone.utc)


def test_psycopg3_parameters_server_side(server):
    import psycopg
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        rows = conn.execute("SELECT order_id, amount FROM test.orders WHERE status = %s AND quantity >= %s ORDER BY order_id",
                            ("shipped", 2)).fetchall()
        assert rows == duck(server, "SELECT order_id, amount FROM orders WHERE status = 'shipped' AND quantity >= 2 ORDER BY order_id")
        assert rows, "the fixture has shipped orders"
        # Binary parameters of every common type.
        cur = conn.cursor(binary=True)
        row = cur.execute("SELECT %s::int + 1, %s::bigint, %s::numeric, %s::text, %s::date, %s::double precision, %s::boolean",
                          (41, 2 ** 40, decimal.Decimal("-12.345"), "héllo", datetime.date(2024, 2, 29), 0.5, True)).fetchone()
        assert row == (42, 2 ** 40, decimal.Decimal("-12.345"), "héllo", datetime.date(2024, 2, 29), 0.5, True)
        assert conn.execute("SELECT %s IS NULL", (None,)).fetchone() == (True,)


def test_psycopg3_errors_carry_sqlstate(server):
    import psycopg
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.UndefinedTable) as e:
            conn.execute("SELECT * FROM test.nosuch")
        assert e.value.sqlstate == "42P01"
        with pytest.raises(psycopg.errors.DivisionByZero):
            conn.execute("SELECT 1 / 0")
        with pytest.raises(psycopg.errors.SyntaxError) as e:
            conn.execute("SELEC 1")
        assert e.value.diag.statement_position == "1"
        # The connection is still usable after errors.
        assert conn.execute("SELECT 2").fetchone() == (2,)


def test_parameter_status_reports_settings(server):
    import psycopg
    with psycopg.connect(server.dsn(application_name="probe"), autocommit=True) as conn:
        info = conn.info
        assert info.parameter_status("server_version").startswith("15")
        assert info.parameter_status("application_name") == "probe"
        assert info.parameter_status("integer_datetimes") == "on"
        conn.execute("SET application_name = 'renamed'")
        assert info.parameter_status("application_name") == "renamed"
        assert conn.execute("SHOW application_name").fetchone() == ("renamed",)


def test_transaction_block_fails_until_rollback(server):
    import psycopg
    with psycopg.connect(server.dsn()) as conn:  # not autocommit: psycopg sends BEGIN
        conn.execute("SELECT 1")
        with pytest.raises(psycopg.errors.UndefinedColumn):
            conn.execute("SELECT nosuch FROM test.orders")
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            conn.execute("SELECT 1")
        conn.rollback()
        assert conn.execute("SELECT 3").fetchone() == (3,)


def test_psycopg2_client_side_parameters(server):
    import psycopg2
    conn = psycopg2.connect(server.dsn())
    try:
        cur = conn.cursor()
        cur.execute("SELECT name, price FROM test.products WHERE category = %s ORDER BY product_id", ("tools",))
        got = cur.fetchall()
        assert got == duck(server, "SELECT name, price FROM products WHERE category = 'tools' ORDER BY product_id")
        conn.rollback()
    finally:
        conn.close()


def test_asyncpg_prepared_binary_and_cursor(server):
    import asyncpg

    async def main():
        conn = await asyncpg.connect(server.url())
        try:
            rows = await conn.fetch("SELECT order_id, amount, order_date, status FROM test.orders WHERE customer_id = $1 ORDER BY order_id", 1)
            want = duck(server, "SELECT order_id, amount, order_date, status FROM orders WHERE customer_id = 1 ORDER BY order_id")
            assert [tuple(r) for r in rows] == want and want
            # The inferred parameter type is bigint (customer_id's): asyncpg encodes the int in binary.
            stmt = await conn.prepare("SELECT count(*) FROM test.orders WHERE quantity > $1")
            assert [p.name for p in stmt.get_parameters()] == ["int4"]
            assert await stmt.fetchval(1) == duck(server, "SELECT count(*) FROM orders WHERE quantity > 1")[0][0]
            # A cursor fetches in chunks: Execute with a row limit, PortalSuspended in between.
            async with conn.transaction():
                got = [r[0] async for r in conn.cursor("SELECT n FROM test.series ORDER BY n", prefetch=333)]
            assert got == list(range(10000))
            assert await conn.fetchval("SELECT $1::numeric * 2", decimal.Decimal("1.25")) == decimal.Decimal("2.50")
            # copy_from_query writes its options as strings and words: (FORMAT 'csv', HEADER True).
            chunks = []

            async def sink(data):
                chunks.append(data)

            await conn.copy_from_query("SELECT order_id, status FROM test.orders ORDER BY order_id", output=sink,
                                       format="csv", header=True)
            lines = b"".join(chunks).decode().splitlines()
            want = duck(server, "SELECT order_id, status FROM orders ORDER BY order_id")
            assert lines[0] == "order_id,status" and lines[1:] == ["%s,%s" % r for r in want] and want
        finally:
            await conn.close()

    asyncio.run(main())


def test_pg8000(server):
    import pg8000.native
    conn = pg8000.native.Connection("admin", password=server.password, host="127.0.0.1", port=server.port, database="basalt")
    try:
        rows = conn.run("SELECT product_id, name FROM test.products WHERE price > :p ORDER BY product_id", p=decimal.Decimal("10"))
        assert [tuple(r) for r in rows] == duck(server, "SELECT product_id, name FROM products WHERE price > 10 ORDER BY product_id")
    finally:
        conn.close()


def test_cancel_request_stops_a_running_query(server):
    import psycopg
    slow = ("SELECT sum(a.a * b.b) FROM generate_series(1, 30000) a "
            "CROSS JOIN generate_series(1, 30000) b")
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        timer = threading.Timer(0.5, conn.cancel)
        timer.start()
        start = time.time()
        with pytest.raises(psycopg.errors.QueryCanceled):
            conn.execute(slow)
        assert time.time() - start < 10
        assert conn.execute("SELECT 1").fetchone() == (1,)
        # statement_timeout stops it too.
        conn.execute("SET statement_timeout = 300")
        with pytest.raises(psycopg.errors.QueryCanceled) as e:
            conn.execute(slow)
        assert "statement timeout" in str(e.value)


def test_psql_copy_out_matches_duckdb(server, tmp_path):
    target = tmp_path / "orders.csv"
    sql = "SELECT order_id, status, amount, order_date FROM test.orders ORDER BY order_id"
    out = subprocess.run(["psql", "-X", "-c", "\\copy (%s) to '%s' csv header" % (sql, target)], env=server.env(),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "COPY 18" in out.stdout, out.stderr
    con = duckdb.connect()
    got = con.execute("SELECT * FROM read_csv('%s', header=true, all_varchar=true)" % target).fetchall()
    want = duck(server, "SELECT order_id::varchar, status, amount::varchar, order_date::varchar FROM orders ORDER BY order_id")
    assert got == want
    # Text format of a table with a column list, through the protocol's COPY sub-protocol.
    out = subprocess.run(["psql", "-X", "-c", "COPY test.products (product_id, name) TO STDOUT"], env=server.env(),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert out.stdout.splitlines() == ["%d\t%s" % r for r in duck(server, "SELECT product_id, name FROM products")]


@pytest.mark.parametrize("binary", [False, True])
def test_psycopg3_server_side_cursor(server, binary):
    import psycopg
    with psycopg.connect(server.dsn()) as conn:
        with conn.cursor(name="big", binary=binary) as cur:
            cur.itersize = 777
            cur.execute("SELECT n, label FROM test.series ORDER BY n")
            rows = list(cur)
        assert rows == [(n, "L%d" % (n % 7)) for n in range(10000)]


def test_cursor_fetched_again_after_its_error_fails_again(server):
    """A WITH HOLD cursor survives its FETCH's error; fetching again is an error too,
    never a crash, and the connection goes on."""
    import psycopg
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        conn.execute("DECLARE c CURSOR WITH HOLD FOR SELECT 100 / (n - 9000) FROM test.series")
        with pytest.raises(psycopg.errors.DivisionByZero):
            conn.execute("FETCH ALL FROM c")
        with pytest.raises(psycopg.Error) as again:
            conn.execute("FETCH 1 FROM c")
        assert again.value.sqlstate == "55000", again.value
        conn.execute("CLOSE c")
        assert conn.execute("SELECT count(*) FROM test.series").fetchone() == (10000,)


@pytest.mark.parametrize("mode", ["simple", "extended", "prepared"])
def test_pgbench_select_only(server, tmp_path, mode):
    script = tmp_path / "select.sql"
    script.write_text("\\set id random(0, 9999)\nSELECT label, x FROM test.series WHERE n = :id;\n")
    out = subprocess.run(["pgbench", "-n", "-f", str(script), "-M", mode, "-c", "4", "-j", "2", "-T", "2"],
                         env=server.env(), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "number of failed transactions: 0" in out.stdout, out.stdout
    tps = float(out.stdout.split("tps = ")[1].split()[0])
    assert tps > 10, out.stdout


def test_result_cache_hits_and_invalidation(tmp_path):
    import shutil
    import psycopg
    lake = copy_fixture_lake(tmp_path)
    s = BasaltServer(lake)
    try:
        sql = "SELECT count(*), sum(amount) FROM test.orders WHERE status = %s"
        with psycopg.connect(s.dsn(), autocommit=True) as conn:
            first = conn.execute(sql, ("shipped",)).fetchone()
            before = s.metrics()
            assert conn.execute(sql, ("shipped",)).fetchone() == first
            after = s.metrics()
            assert after['basalt_result_cache_requests_total{outcome="hit"}'] == before['basalt_result_cache_requests_total{outcome="hit"}'] + 1
            # Different parameters, different entry.
            assert conn.execute(sql, ("pending",)).fetchone() != first
            # Volatile functions are never cached.
            a = conn.execute("SELECT random() FROM test.orders LIMIT 1").fetchone()
            b = conn.execute("SELECT random() FROM test.orders LIMIT 1").fetchone()
            assert a != b
            # New files: the table's version changes and the cached result is not served.
            src = next((lake / "test" / "orders").glob("*.parquet"))
            shutil.copy(src, src.with_name("copy-" + src.name))
            again = conn.execute(sql, ("shipped",)).fetchone()
            assert again[0] == 2 * first[0]
            # Partition pruning shows in the metrics and in the query log.
            conn.execute("SELECT count(*) FROM test.events WHERE day = '2024-01-02' AND kind = 'a'").fetchone()
            metrics = s.metrics()
            assert metrics['basalt_scan_files_total{outcome="skipped"}'] >= 7
        time.sleep(0.5)
        log = "".join(s.stderr_lines)
        assert "statement" in log and "user=admin" in log and "cache=hit" in log and "files=1 read 7 skipped" in log, log[-2000:]
    finally:
        s.stop()


def test_cache_hits_answered_on_the_event_loop(tmp_path):
    """Cached results are answered without the connection's thread, by the simple and the
    extended protocol; anything else (a miss, a change of the table, SET, a failed
    transaction, a result too large) still reaches the worker and behaves as before."""
    import shutil
    import psycopg
    lake = copy_fixture_lake(tmp_path)
    s = BasaltServer(lake)
    counter = "basalt_requests_answered_on_event_loop_total"
    try:
        with psycopg.connect(s.dsn(), autocommit=True) as conn:
            simple = "SELECT count(*), sum(amount) FROM test.orders WHERE status = 'shipped'"
            first = conn.execute(simple, prepare=False).fetchone()
            # The first hit is the worker's: it lists the table once, which the event loop never does.
            assert conn.execute(simple, prepare=False).fetchone() == first
            base = s.metrics()[counter]
            for _ in range(5):
                assert conn.execute(simple, prepare=False).fetchone() == first
            # Not necessarily all five: a request that arrives while the worker thread is still
            # finishing the previous one goes to the worker (under load that happens).
            assert s.metrics()[counter] >= base + 3
            # Extended protocol with a parameter: Parse/Bind/Describe/Execute/Sync in one request.
            extended = "SELECT count(*), sum(amount) FROM test.orders WHERE status = %s"
            assert conn.execute(extended, ("shipped",)).fetchone() == first
            base = s.metrics()[counter]
            for _ in range(4):
                assert conn.execute(extended, ("shipped",)).fetchone() == first
            assert s.metrics()[counter] >= base + 2
            # A new key is a miss: the worker runs it (and the counter stays).
            base = s.metrics()[counter]
            pending = conn.execute(extended, ("pending",)).fetchone()
            assert pending != first and s.metrics()[counter] == base
            # SET goes to the worker and takes effect.
            conn.execute("SET application_name = 'evloop'")
            assert conn.execute("SHOW application_name").fetchone() == ("evloop",)
            # The table changes: the cached answer is not served, from the event loop or not.
            src = next((lake / "test" / "orders").glob("*.parquet"))
            shutil.copy(src, src.with_name("copy-" + src.name))
            assert conn.execute(simple, prepare=False).fetchone()[0] == 2 * first[0]
            assert conn.execute(extended, ("shipped",)).fetchone()[0] == 2 * first[0]
        # In a failed transaction block a cached query is refused as PostgreSQL refuses it.
        with psycopg.connect(s.dsn()) as conn:
            with pytest.raises(psycopg.errors.DivisionByZero):
                conn.execute("SELECT 1 / 0")
            with pytest.raises(psycopg.errors.InFailedSqlTransaction):
                conn.execute(simple, prepare=False)
            conn.rollback()
            assert conn.execute(simple, prepare=False).fetchone()[0] == 2 * first[0]
        # A result over the event loop's limit is still cached, and served by the worker.
        with psycopg.connect(s.dsn(), autocommit=True) as conn:
            big = "SELECT a FROM generate_series(1, 20000) AS g(a) CROSS JOIN test.orders"
            rows = conn.execute(big, prepare=False).fetchall()
            base = s.metrics()
            assert conn.execute(big, prepare=False).fetchall() == rows
            after = s.metrics()
            assert after[counter] == base[counter]
            assert after['basalt_result_cache_requests_total{outcome="hit"}'] == base['basalt_result_cache_requests_total{outcome="hit"}'] + 1
    finally:
        s.stop()


def test_list_columns_in_text_and_binary(tmp_path):
    """Parquet list columns keep their structure through sorting, joins and UNION ALL, and
    reach psycopg as arrays in text and in binary (array_send) form alike."""
    import psycopg
    import pyarrow as pa
    import pyarrow.parquet as pq
    lake = copy_fixture_lake(tmp_path)
    (lake / "test" / "lists").mkdir()
    table = pa.table({
        "id": pa.array([1, 2, 3, 4], pa.int32()),
        "ints": pa.array([[1, 2, None], [], None, [7]], pa.list_(pa.int32())),
        "words": pa.array([["x", "yz"], ["é"], None, []], pa.list_(pa.string())),
        "amounts": pa.array([[decimal.Decimal("1.50")], None, [], [decimal.Decimal("-2.25")]], pa.list_(pa.decimal128(10, 2))),
        "days": pa.array([[datetime.date(2024, 1, 2)], [], None, [datetime.date(1999, 12, 31), None]], pa.list_(pa.date32())),
    })
    pq.write_table(table, lake / "test" / "lists" / "part-0.parquet")
    want = [(1, [1, 2, None], ["x", "yz"], [decimal.Decimal("1.50")], [datetime.date(2024, 1, 2)]),
            (2, [], ["é"], None, []),
            (3, None, None, [], None),
            (4, [7], [], [decimal.Decimal("-2.25")], [datetime.date(1999, 12, 31), None])]
    s = BasaltServer(lake)
    try:
        with psycopg.connect(s.dsn(), autocommit=True) as conn:
            # ORDER BY DESC gathers the rows (take); the join and UNION ALL concatenate them.
            sorted_ = "SELECT id, ints, words, amounts, days FROM test.lists ORDER BY id DESC"
            joined = ("SELECT l.id, l.ints, l.words, l.amounts, l.days FROM test.lists l "
                      "JOIN (SELECT 1 AS k UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 2) k ON k.k = l.id ORDER BY l.id")
            union = ("SELECT id, ints, words, amounts, days FROM test.lists WHERE id <= 2 UNION ALL "
                     "SELECT id, ints, words, amounts, days FROM test.lists WHERE id > 2 ORDER BY 1")
            for binary in (False, True):
                cur = conn.cursor(binary=binary)
                assert cur.execute(sorted_).fetchall() == want[::-1]
                assert cur.execute(joined).fetchall() == want
                assert cur.execute(union).fetchall() == want
            res = conn.pgconn.exec_params(b"SELECT ints FROM test.lists WHERE id = 1", [], result_format=1)
            assert (res.fformat(0), res.ftype(0)) == (1, 1007)
            # What cannot carry arrays yet says so (SQLSTATE 0A000) instead of answering wrongly.
            for sql in ("SELECT ints, count(*) FROM test.lists GROUP BY ints", "SELECT min(words) FROM test.lists",
                        "SELECT lag(ints) OVER (ORDER BY id) FROM test.lists",
                        "SELECT (SELECT ints FROM test.lists WHERE id = 1)"):
                with pytest.raises(psycopg.errors.FeatureNotSupported):
                    conn.execute(sql)
            # DISTINCT, ORDER BY, joins and counting distinct values work on them.
            assert conn.execute("SELECT count(DISTINCT ints) FROM test.lists").fetchone() == (3,)
            assert [r[0] for r in conn.execute("SELECT DISTINCT words FROM test.lists ORDER BY 1").fetchall()][:2] == [[], ["x", "yz"]]

        # asyncpg learns array types from its introspection query (WITH RECURSIVE over
        # pg_type, `oid = any($1::oid[])` with an oid[] parameter in binary), then decodes
        # the arrays in binary; array parameters go the other way.
        import asyncpg

        async def main():
            conn = await asyncpg.connect(s.url())
            try:
                rows = await conn.fetch("SELECT id, ints, words, amounts, days FROM test.lists ORDER BY id")
                assert [tuple(r) for r in rows] == want
                got = await conn.fetch("SELECT id FROM test.lists WHERE id = any($1::int[]) ORDER BY id", [4, 1, 99])
                assert [r[0] for r in got] == [1, 4]
                assert await conn.fetchval("SELECT array_to_string($1::text[], '|', '*')", ["a", None, "b c"]) == "a|*|b c"
                assert await conn.fetchval("SELECT cardinality($1::bigint[])", []) == 0
            finally:
                await conn.close()

        asyncio.run(main())
    finally:
        s.stop()
