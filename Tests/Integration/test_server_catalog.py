"""Metadata through the wire protocol with the real clients: psql's \\d
family, pgJDBC's DatabaseMetaData (a Java program compiled here) and
SQLAlchemy's inspector, against the fixture lake."""
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from basalt_server import BasaltServer, copy_fixture_lake

JDBC_JAR = Path("/usr/share/java/postgresql.jar")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = BasaltServer(copy_fixture_lake(tmp_path_factory.mktemp("catalog")))
    yield s
    s.stop()


def psql(server, *commands):
    args = ["psql", "-X", "-A", "-t"]
    for c in commands:
        args += ["-c", c]
    out = subprocess.run(args, env=server.env(), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_psql_describe_commands(server):
    tables = psql(server, "\\dt test.*")
    names = [line.split("|")[1] for line in tables.splitlines() if line]
    assert names == sorted(p.name for p in (server.lake / "test").iterdir() if p.is_dir())
    orders = psql(server, "\\d test.orders")
    assert "amount|numeric(12,2)" in orders and "shipped_at|timestamp without time zone" in orders
    assert "test|" in psql(server, "\\dn")
    assert "basalt|" in psql(server, "\\l")
    assert "admin|" in psql(server, "\\du")
    # The + forms: sizes and access methods, storage columns (psql's correlated
    # `unnest(tc.reloptions)` in FROM), function languages.
    assert "test|orders|table|basalt|permanent|heap|" in psql(server, "\\dt+ test.*")
    detailed = psql(server, "\\d+ test.orders")
    assert "order_id|bigint||||plain|||" in detailed and "status|text||||extended|||" in detailed
    assert "pg_catalog|lower|" in psql(server, "\\df+ lower") and "|internal|lower|" in psql(server, "\\df+ lower")


@pytest.mark.skipif(not JDBC_JAR.exists() or shutil.which("javac") is None, reason="needs libpostgresql-jdbc-java and a JDK")
def test_pgjdbc(server, tmp_path):
    src = Path(__file__).parent / "jdbc" / "JdbcProbe.java"
    subprocess.run(["javac", "-d", str(tmp_path), str(src)], check=True, capture_output=True, timeout=120)
    url = "jdbc:postgresql://127.0.0.1:%d/basalt?sslmode=disable" % server.port
    out = subprocess.run(["java", "-cp", "%s:%s" % (tmp_path, JDBC_JAR), "JdbcProbe", url, "admin", server.password],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert lines["product"] == "PostgreSQL 15"
    assert lines["tables"].split(",")[:-1] == sorted(p.name for p in (server.lake / "test").iterdir() if p.is_dir())
    assert lines["columns"].startswith("order_id:int8,customer_id:int8,product_id:int4,quantity:int4,amount:numeric,order_date:date")
    # getPrimaryKeys / getImportedKeys / getIndexInfo run (composite fields, _pg_expandarray,
    # bitwise operators) and find nothing: a lake table has no keys or indexes.
    assert lines["keys"] == "0"
    assert lines["schemas"] == "information_schema,pg_catalog,public,test,"
    con = duckdb.connect()
    want = con.execute("SELECT order_id, amount, order_date, status FROM read_parquet('%s/test/orders/*.parquet') "
                       "WHERE customer_id = 1 ORDER BY order_id" % server.lake).fetchall()
    assert lines["rows"] == "".join("%d|%s|%s|%s;" % r for r in want)
    assert lines["count"] == str(con.execute("SELECT count(*) FROM read_parquet('%s/test/orders/*.parquet') WHERE quantity > 1"
                                             % server.lake).fetchone()[0])


@pytest.mark.parametrize("driver", ["psycopg", "psycopg2"])
def test_sqlalchemy_inspector(server, driver):
    import sqlalchemy as sa
    engine = sa.create_engine(server.url("postgresql+%s" % driver))
    try:
        inspector = sa.inspect(engine)
        assert "test" in inspector.get_schema_names()
        assert "orders" in inspector.get_table_names(schema="test")
        columns = {c["name"]: c["type"] for c in inspector.get_columns("orders", schema="test")}
        assert isinstance(columns["amount"], sa.Numeric) and (columns["amount"].precision, columns["amount"].scale) == (12, 2)
        assert isinstance(columns["order_date"], sa.Date)
        assert inspector.has_table("orders", schema="test") and not inspector.has_table("nosuch", schema="test")
        assert inspector.get_pk_constraint("orders", schema="test")["constrained_columns"] == []
        with engine.connect() as conn:
            n = conn.execute(sa.text("SELECT count(*) FROM test.orders WHERE status = :s"), {"s": "shipped"}).scalar()
            assert n > 0
    finally:
        engine.dispose()
