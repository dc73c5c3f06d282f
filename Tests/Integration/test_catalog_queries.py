"""The system catalog as real clients query it: the statements psql, pgJDBC and
SQLAlchemy send (captured from PostgreSQL 15 into Fixtures/catalog/*.sql, one file per
client command) run through `basalt query` on the fixture lake, and their rows name
the lake's schemas, tables, columns and types."""
import json
import pathlib
import shutil

import pytest

from basalt_support import REPO, run_basalt

CATALOG = REPO / "Fixtures" / "catalog"
LAKE = REPO / "Fixtures" / "lake"

ORDERS_COLUMNS = [
    ("order_id", "bigint"), ("customer_id", "bigint"), ("product_id", "integer"), ("quantity", "integer"),
    ("amount", "numeric(12,2)"), ("order_date", "date"), ("shipped_at", "timestamp without time zone"),
    ("status", "text"), ("priority", "smallint"),
]
TEST_TABLES = ["customers", "empty", "events", "floats", "limits", "merged", "numbers", "orders", "people",
               "products", "readings", "series"]


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    """A copy of the fixture lake (a query may create the metastore inside it)."""
    path = tmp_path_factory.mktemp("catalog") / "lake"
    shutil.copytree(LAKE, path)
    return path


def statements(name):
    """The statements of a fixture file: separated by lines holding only ';', comments dropped."""
    text = (CATALOG / name).read_text()
    out = []
    for chunk in text.split("\n;\n"):
        sql = "\n".join(l for l in chunk.split("\n") if not l.startswith("--")).strip()
        if sql:
            out.append(sql)
    return out


def query(lake, sql):
    run = run_basalt(["query", "--lake", str(lake), "--format", "json", sql], timeout=120)
    assert run.returncode == 0, "%s\n---\n%s" % (sql, run.describe())
    return [json.loads(line) for line in run.text().splitlines() if line.startswith("{")]


def run_file(lake, name):
    """Every statement of the file succeeds; the results, in order."""
    return [query(lake, sql) for sql in statements(name)]


def orders_oid(lake):
    rows = query(lake, "SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = 'test' AND c.relname = 'orders'")
    assert len(rows) == 1
    return rows[0]["oid"]


def with_oid(sql, oid):
    """psql and SQLAlchemy put the oid they read before into the next query (16386 when captured)."""
    return sql.replace("16386", str(oid))


@pytest.mark.parametrize("name", ["psql_d.sql", "psql_dt.sql"])
def test_psql_list_tables(lake, name):
    # The fixture lake's schema `test` is not on the search path, so \d lists nothing until it is.
    (rows,) = run_file(lake, name)
    assert rows == []
    sql = statements(name)[0]
    listed = query(lake, sql.replace("pg_catalog.pg_table_is_visible(c.oid)", "n.nspname = 'test'"))
    assert [r["Name"] for r in listed] == TEST_TABLES
    assert {r["Schema"] for r in listed} == {"test"}
    assert {r["Type"] for r in listed} == {"table"}
    assert {r["Owner"] for r in listed} == {"basalt"}


def test_psql_describe_table(lake):
    oid = orders_oid(lake)
    found, *rest = statements("psql_d_table.sql")
    (row,) = query(lake, found)
    assert (row["nspname"], row["relname"], row["oid"]) == ("test", "orders", oid)
    results = [query(lake, with_oid(sql, oid)) for sql in rest]
    (table,) = results[0]
    assert table["relkind"] == "r" and table["amname"] == "heap"
    columns = results[1]
    assert [(c["attname"], c["format_type"]) for c in columns] == ORDERS_COLUMNS
    assert all(c["attnotnull"] is False for c in columns)
    assert all(r == [] for r in results[2:])  # policies, statistics, publications, inheritance: none


def test_psql_schemas_databases_roles(lake):
    (schemas,) = run_file(lake, "psql_dn.sql")
    assert [r["Name"] for r in schemas] == ["public", "test"]
    (databases,) = run_file(lake, "psql_l.sql")
    assert [(r["Name"], r["Owner"], r["Encoding"]) for r in databases] == [("basalt", "basalt", "UTF8")]
    (roles,) = run_file(lake, "psql_du.sql")
    assert [(r["rolname"], r["rolsuper"], r["memberof"]) for r in roles] == [("basalt", True, "{}")]
    (functions,) = run_file(lake, "psql_df.sql")
    assert functions == []


def test_jdbc_metadata(lake):
    schemas, tables, columns, every_table = run_file(lake, "jdbc.sql")
    assert [r["table_schem"] for r in schemas] == ["information_schema", "pg_catalog", "public", "test"]
    assert [(r["table_name"], r["table_type"]) for r in tables] == [(t, "TABLE") for t in TEST_TABLES]
    assert [(c["attname"], c["atttypid"]) for c in columns] == [
        ("order_id", 20), ("customer_id", 20), ("product_id", 23), ("quantity", 23), ("amount", 1700),
        ("order_date", 1082), ("shipped_at", 1114), ("status", 25), ("priority", 21)]
    assert [c["attnum"] for c in columns] == list(range(1, 10))
    amount = next(c for c in columns if c["attname"] == "amount")
    assert amount["atttypmod"] == (12 << 16 | 2) + 4
    kinds = {r["table_type"] for r in every_table}
    assert {"TABLE", "SYSTEM TABLE", "SYSTEM VIEW"} <= kinds


def test_sqlalchemy_inspector(lake):
    oid = orders_oid(lake)
    texts = statements("sqlalchemy.sql")
    results = [query(lake, with_oid(sql, oid)) for sql in texts]
    schema_names = results[texts.index(next(t for t in texts if "NOT LIKE 'pg/_'" in t))]
    assert [r["nspname"] for r in schema_names] == ["information_schema", "public", "test"]
    table_names = results[texts.index(next(t for t in texts if "relpersistence != 't'" in t and "ARRAY['r', 'p']" in t))]
    assert sorted(r["relname"] for r in table_names) == TEST_TABLES
    columns = results[texts.index(next(t for t in texts if "AS format_type" in t))]
    assert [(c["name"], c["format_type"], c["not_null"], c["default"]) for c in columns] == [
        (n, t, False, None) for n, t in ORDERS_COLUMNS]
    primary_keys = results[texts.index(next(t for t in texts if "contype = 'p'" in t))]
    assert primary_keys == []
    foreign_keys = results[texts.index(next(t for t in texts if "contype = 'f'" in t))]
    assert [(r["relname"], r["conname"]) for r in foreign_keys] == [("orders", None)]
    views = results[texts.index(next(t for t in texts if "ARRAY['v']" in t))]
    assert views == []


def test_connect_statements(lake):
    results = run_file(lake, "connect.sql")
    flat = [row for rows in results for row in rows]
    assert any(r.get("version", "").startswith("PostgreSQL 15.0 (Basalt 0.1) on ") for r in flat)
    assert {"current_schema": "public"} in flat
    assert {"transaction_isolation": "read committed"} in flat
    assert {"standard_conforming_strings": "on"} in flat
    assert {"server_version": "15.0"} in flat
    assert {"current_setting": "150000"} in flat
    last = results[-1][0]
    assert (last["current_database"], last["current_user"], last["current_schemas"]) == ("basalt", "basalt", "{pg_catalog,public}")


def test_information_schema(lake):
    tables = query(lake, "SELECT table_schema, table_name, table_type FROM information_schema.tables "
                         "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2")
    assert [(r["table_schema"], r["table_name"], r["table_type"]) for r in tables] == [("test", t, "BASE TABLE") for t in TEST_TABLES]
    columns = query(lake, "SELECT column_name, data_type, numeric_precision, numeric_scale, is_nullable "
                          "FROM information_schema.columns WHERE table_schema = 'test' AND table_name = 'orders' ORDER BY ordinal_position")
    assert [(c["column_name"], c["data_type"]) for c in columns] == [
        (n, t.split("(")[0]) for n, t in ORDERS_COLUMNS]
    amount = next(c for c in columns if c["column_name"] == "amount")
    assert (amount["numeric_precision"], amount["numeric_scale"]) == (12, 2)
    schemata = query(lake, "SELECT schema_name FROM information_schema.schemata ORDER BY 1")
    assert [r["schema_name"] for r in schemata] == ["information_schema", "pg_catalog", "public", "test"]
    assert query(lake, "SELECT * FROM information_schema.views") == []
    partitioned = query(lake, "SELECT column_name, data_type FROM information_schema.columns "
                              "WHERE table_schema = 'test' AND table_name = 'events' ORDER BY ordinal_position")
    assert partitioned[-2:] == [{"column_name": "day", "data_type": "date"}, {"column_name": "kind", "data_type": "text"}]


def test_oids_are_stable_across_statements(lake):
    first = orders_oid(lake)
    assert first >= 16384
    assert orders_oid(lake) == first
    (row,) = query(lake, "SELECT 'test.orders'::regclass::oid AS oid, %d::regclass AS name" % first)
    assert row == {"oid": first, "name": "test.orders"}
