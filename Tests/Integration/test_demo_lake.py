"""`basalt demo generate` against real readers: the demo sales lake of
shared/spec/demo-dataset.md, generated at a small scale, must read in DuckDB
(Hive partitions) and pyarrow with the spec's types, hold the spec's value
rules, and come out byte-identical from two separate runs."""
import filecmp
import os

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from basalt_support import run_basalt

SCALE = "0.01"
ORDER_LINES = 10_000
CUSTOMERS = 500

COUNTRIES = {
    "AMER": ["United States", "Canada"],
    "LATAM": ["Mexico", "Brazil", "Argentina", "Chile"],
    "EMEA": ["Germany", "France", "United Kingdom", "Spain", "Italy", "Netherlands", "South Africa",
             "United Arab Emirates"],
    "APAC": ["Japan", "China", "India", "Australia", "Singapore", "South Korea"],
}

# The spec's SQL types, as DuckDB names them (files only: year/month come from directories).
SPEC_TYPES = {
    "orders": [("order_id", "BIGINT"), ("line_no", "INTEGER"), ("order_date", "DATE"), ("ship_date", "DATE"),
               ("customer_id", "BIGINT"), ("product_id", "BIGINT"), ("employee_id", "BIGINT"),
               ("channel", "VARCHAR"), ("region", "VARCHAR"), ("country", "VARCHAR"), ("quantity", "INTEGER"),
               ("unit_price", "DECIMAL(10,2)"), ("discount", "DECIMAL(4,2)"), ("revenue", "DECIMAL(12,2)"),
               ("status", "VARCHAR")],
    "customers": [("customer_id", "BIGINT"), ("name", "VARCHAR"), ("email", "VARCHAR"), ("segment", "VARCHAR"),
                  ("country", "VARCHAR"), ("region", "VARCHAR"), ("city", "VARCHAR"), ("signup_date", "DATE")],
    "products": [("product_id", "BIGINT"), ("name", "VARCHAR"), ("category", "VARCHAR"), ("subcategory", "VARCHAR"),
                 ("brand", "VARCHAR"), ("list_price", "DECIMAL(10,2)"), ("unit_cost", "DECIMAL(10,2)")],
    "employees": [("employee_id", "BIGINT"), ("name", "VARCHAR"), ("title", "VARCHAR"), ("region", "VARCHAR"),
                  ("manager_id", "BIGINT"), ("hire_date", "DATE"), ("salary", "DECIMAL(10,2)")],
}

ARROW_TYPES = {"BIGINT": pa.int64(), "INTEGER": pa.int32(), "DATE": pa.date32(), "VARCHAR": pa.string(),
               "DECIMAL(10,2)": pa.decimal128(10, 2), "DECIMAL(4,2)": pa.decimal128(4, 2),
               "DECIMAL(12,2)": pa.decimal128(12, 2)}


def generate(lake, *extra):
    return run_basalt(["demo", "generate", "--lake", lake, "--scale", SCALE, *extra], timeout=600)


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "lake"
    run = generate(path)
    assert run.returncode == 0, run.describe()
    return path


@pytest.fixture(scope="module")
def db(lake):
    con = duckdb.connect()
    con.execute("CREATE VIEW orders AS SELECT * FROM read_parquet('%s/sales/orders/**/*.parquet', hive_partitioning=true)"
                % lake)
    for t in ("customers", "products", "employees"):
        con.execute("CREATE VIEW %s AS SELECT * FROM read_parquet('%s/sales/%s/*.parquet')" % (t, lake, t))
    return con


def one(db, sql):
    return db.execute(sql).fetchone()[0]


def test_summary_and_layout(lake):
    files = sorted(p.relative_to(lake).as_posix() for p in lake.rglob("*") if p.is_file())
    months = ["sales/orders/year=%d/month=%d/part-00000.parquet" % (y, m) for y in (2022, 2023, 2024)
              for m in range(1, 13)]
    assert files == sorted(months + ["sales/customers/part-00000.parquet", "sales/employees/part-00000.parquet",
                                     "sales/products/part-00000.parquet"])


def test_summary_output(tmp_path):
    run = generate(tmp_path / "lake")
    assert run.returncode == 0, run.describe()
    out = run.text()
    for needle in ("sales.orders", "10,000", "sales.customers", "sales.products", "sales.employees", "36 files", "total"):
        assert needle in out, out


def test_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "lake"
    assert generate(path).returncode == 0
    again = generate(path)
    assert again.returncode == 1, again.describe()
    assert b"--force" in again.stderr
    forced = generate(path, "--force")
    assert forced.returncode == 0, forced.describe()
    assert not [p for p in (path / "sales").iterdir() if p.name.startswith("_")], "staging left behind"


def test_byte_identical_across_runs(lake, tmp_path):
    other = tmp_path / "again"
    run = generate(other)
    assert run.returncode == 0, run.describe()
    names = sorted(p.relative_to(lake).as_posix() for p in lake.rglob("*.parquet"))
    assert names == sorted(p.relative_to(other).as_posix() for p in other.rglob("*.parquet"))
    _, mismatch, errors = filecmp.cmpfiles(lake, other, names, shallow=False)
    assert not mismatch and not errors, (mismatch, errors)
    seeded = tmp_path / "seeded"
    assert generate(seeded, "--seed", "7").returncode == 0
    assert not filecmp.cmp(lake / "sales/customers/part-00000.parquet",
                           seeded / "sales/customers/part-00000.parquet", shallow=False)


@pytest.mark.parametrize("table", sorted(SPEC_TYPES))
def test_types_match_the_spec(db, lake, table):
    described = [(r[0], r[1]) for r in db.execute("DESCRIBE %s" % table).fetchall()]
    if table == "orders":
        assert sorted(n for n, _ in described[-2:]) == ["month", "year"]  # DuckDB's order, not the directories'
        assert all(t in ("BIGINT", "INTEGER") for _, t in described[-2:]), described
        described = described[:-2]
    assert described == SPEC_TYPES[table]
    # pyarrow reads the same types from every file.
    for f in sorted((lake / "sales" / table).rglob("*.parquet")):
        schema = pq.read_schema(f)
        assert [(fld.name, fld.type) for fld in schema] == [(n, ARROW_TYPES[t]) for n, t in SPEC_TYPES[table]], f


def test_pyarrow_reads_the_partitioned_table(lake):
    dataset = ds.dataset(lake / "sales" / "orders", format="parquet", partitioning="hive")
    t = dataset.to_table()
    assert t.num_rows == ORDER_LINES
    assert set(zip(t.column("year").to_pylist(), t.column("month").to_pylist())) == \
        {(y, m) for y in (2022, 2023, 2024) for m in range(1, 13)}
    for name in ("customers", "products", "employees"):
        assert pq.read_table(lake / "sales" / name).num_rows == {"customers": CUSTOMERS, "products": 500,
                                                                 "employees": 200}[name]


def test_row_counts(db):
    assert one(db, "SELECT count(*) FROM orders") == ORDER_LINES
    assert one(db, "SELECT count(*) FROM customers") == CUSTOMERS
    assert one(db, "SELECT count(*) FROM products") == 500
    assert one(db, "SELECT count(*) FROM employees") == 200
    assert one(db, "SELECT count(DISTINCT (year, month)) FROM orders") == 36
    assert one(db, "SELECT count(*) FROM orders WHERE year <> year(order_date) OR month <> month(order_date)") == 0


def test_order_value_rules(db):
    assert one(db, "SELECT count(*) FROM orders WHERE revenue <> round(quantity * unit_price * (1 - discount), 2)") == 0
    assert one(db, "SELECT count(*) FROM orders WHERE (ship_date IS NULL) <> (status IN ('Pending', 'Cancelled'))") == 0
    assert one(db, "SELECT count(*) FROM orders WHERE ship_date IS NOT NULL "
                   "AND (ship_date - order_date NOT BETWEEN 0 AND 14)") == 0
    assert one(db, "SELECT count(*) FROM orders WHERE order_date NOT BETWEEN DATE '2022-01-01' AND DATE '2024-12-31'") == 0
    assert one(db, "SELECT count(*) FROM orders WHERE quantity NOT BETWEEN 1 AND 20") == 0
    assert one(db, "SELECT count(*) FROM orders WHERE discount NOT BETWEEN 0 AND 0.30") == 0
    assert one(db, "SELECT avg(quantity) FROM orders") < 5, "quantities are mostly small"
    assert {r[0] for r in db.execute("SELECT DISTINCT channel FROM orders").fetchall()} == {"Online", "Retail", "Partner"}
    assert {r[0] for r in db.execute("SELECT DISTINCT status FROM orders").fetchall()} == \
        {"Delivered", "Shipped", "Pending", "Cancelled", "Returned"}
    # 1 to 5 lines per order, numbered from 1.
    assert db.execute("SELECT min(n), max(n), bool_and(top = n) FROM "
                      "(SELECT order_id, count(*) n, max(line_no) top FROM orders GROUP BY order_id)").fetchone() == \
        (1, 5, True)


def test_references_and_regions(db):
    mapping = [(c, r) for r, cs in COUNTRIES.items() for c in cs]
    db.execute("CREATE OR REPLACE TEMP TABLE spec_countries (country VARCHAR, region VARCHAR)")
    db.executemany("INSERT INTO spec_countries VALUES (?, ?)", mapping)
    assert one(db, "SELECT count(*) FROM customers c LEFT JOIN spec_countries s USING (country) "
                   "WHERE s.region IS DISTINCT FROM c.region") == 0
    assert one(db, "SELECT count(*) FROM orders o LEFT JOIN customers c USING (customer_id) "
                   "WHERE c.customer_id IS NULL OR o.region <> c.region OR o.country <> c.country") == 0
    assert one(db, "SELECT count(*) FROM orders o LEFT JOIN employees e USING (employee_id) "
                   "WHERE e.employee_id IS NULL OR e.region <> o.region") == 0
    assert one(db, "SELECT count(*) FROM orders o LEFT JOIN products p USING (product_id) WHERE p.product_id IS NULL") == 0
    assert one(db, "SELECT count(*) FROM customers c JOIN (SELECT customer_id, min(order_date) first_order FROM orders "
                   "GROUP BY ALL) f USING (customer_id) WHERE c.signup_date > f.first_order") == 0
    # The unit price is the list price of the order's year (2024: the current list price).
    assert one(db, "SELECT count(*) FROM orders o JOIN products p USING (product_id) "
                   "WHERE o.year = 2024 AND o.unit_price <> p.list_price") == 0


def test_products_and_employees(db):
    assert one(db, "SELECT count(DISTINCT name) FROM products") == 500
    assert {r[0] for r in db.execute("SELECT DISTINCT category FROM products").fetchall()} == \
        {"Electronics", "Furniture", "Office Supplies", "Clothing", "Sports"}
    low, high = db.execute("SELECT min(n), max(n) FROM (SELECT category, count(DISTINCT subcategory) n FROM products "
                           "GROUP BY category)").fetchone()
    assert 3 <= low and high <= 6
    assert one(db, "SELECT count(*) FROM products WHERE unit_cost >= list_price OR unit_cost <= 0") == 0
    assert one(db, "SELECT count(*) FROM employees WHERE (manager_id IS NULL) <> (title = 'Regional Director')") == 0
    assert one(db, "SELECT count(*) FROM employees e JOIN employees m ON e.manager_id = m.employee_id "
                   "WHERE e.region <> m.region") == 0


def test_seasonality_and_growth(db):
    years = db.execute("SELECT year, count(*) FROM orders GROUP BY year ORDER BY year").fetchall()
    assert years[0][1] < years[1][1] < years[2][1], years
    quarters = dict(db.execute("SELECT quarter(order_date), count(*) FROM orders GROUP BY 1").fetchall())
    assert quarters[4] == max(quarters.values()), quarters
    top = db.execute("SELECT count(*) FROM orders GROUP BY product_id ORDER BY 1 DESC LIMIT 10").fetchall()
    assert sum(r[0] for r in top) > ORDER_LINES * 10 / 500 * 3, "a few best sellers"
