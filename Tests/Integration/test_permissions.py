"""Permissions through the wire protocol (issue 6): the demo policy
(tools/demo-policy.yaml) on a small demo lake, one client per principal.

- a matrix: for each principal and query shape, the exact columns and rows,
  computed independently as the admin's answer to the query over the data that
  principal may see;
- an adversarial list, one test per leak path, each of which must come back
  empty-handed;
- a property test: random data filters (predicate and columns) and random
  queries; the restricted user's answer equals DuckDB's over a copy of the data
  pre-filtered to what the filter shows."""
import json
import random
from decimal import Decimal

import duckdb
import psycopg
import pytest

from basalt_server import REPO, BasaltServer
from basalt_support import run_basalt

POLICY = REPO / "tools" / "demo-policy.yaml"
PASSWORDS = {"analyst_emea": "analyst-demo", "intern": "intern-demo"}
CUSTOMER_COLUMNS = ["customer_id", "name", "email", "segment", "country", "region", "city", "signup_date"]
PRODUCT_COLUMNS = ["product_id", "name", "category", "subcategory", "brand", "list_price", "unit_cost"]


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    path = tmp_path_factory.mktemp("permissions") / "lake"
    run_basalt(["demo", "generate", "--lake", path, "--scale", "0.01"], timeout=300, check=True)
    return path


@pytest.fixture(scope="module")
def server(lake, tmp_path_factory):
    audit = tmp_path_factory.mktemp("audit") / "audit.log"
    s = BasaltServer(lake, extra_args=["--policy", str(POLICY), "--audit-log", str(audit)])
    s.audit_path = audit
    yield s
    s.stop()


def connect(server, user, password=None):
    password = password or (server.password if user == "admin" else PASSWORDS[user])
    return psycopg.connect(server.dsn(user=user, password=password), autocommit=True)


def run(conn, sql, params=None):
    cur = conn.execute(sql, params)
    if cur.description is None:
        return [], []
    return [d.name for d in cur.description], cur.fetchall()


def error_of(conn, sql):
    try:
        conn.execute(sql).fetchall()
    except psycopg.Error as e:
        return e.sqlstate, e.diag.message_primary
    return None


@pytest.fixture(scope="module")
def admin(server):
    with connect(server, "admin") as c:
        yield c


@pytest.fixture(scope="module")
def analyst(server):
    with connect(server, "analyst_emea") as c:
        yield c


@pytest.fixture(scope="module")
def intern(server):
    with connect(server, "intern") as c:
        yield c


# --- the matrix -------------------------------------------------------------------------------------------------

ANALYST_CUSTOMERS = "(SELECT customer_id, name, segment, country, region, city, signup_date FROM sales.customers WHERE region = 'EMEA')"
ANALYST_ORDERS = "(SELECT * FROM sales.orders WHERE region = 'EMEA')"
INTERN_PRODUCTS = "(SELECT product_id, name, category, subcategory, brand, list_price FROM sales.products)"
INTERN_CUSTOMERS = ("(SELECT customer_id, name, '****' || right(email, 4) AS email, segment, country, region, city, signup_date"
                    " FROM sales.customers)")

# (principal, query as the principal writes it, the same question as the admin asks it over what the principal sees)
MATRIX = [
    ("analyst_emea", "SELECT * FROM sales.customers ORDER BY customer_id",
     f"SELECT * FROM {ANALYST_CUSTOMERS} c ORDER BY customer_id"),
    ("analyst_emea", "SELECT region, count(*), sum(revenue) FROM sales.orders GROUP BY region ORDER BY 1",
     f"SELECT region, count(*), sum(revenue) FROM {ANALYST_ORDERS} o GROUP BY region ORDER BY 1"),
    ("analyst_emea", "SELECT count(*) FROM sales.orders", f"SELECT count(*) FROM {ANALYST_ORDERS} o"),
    ("analyst_emea", "SELECT count(*) FROM sales.orders WHERE year = 2023 AND month = 11",
     f"SELECT count(*) FROM {ANALYST_ORDERS} o WHERE year = 2023 AND month = 11"),
    ("analyst_emea", "SELECT c.segment, count(*) FROM sales.orders o JOIN sales.customers c USING (customer_id) GROUP BY 1 ORDER BY 1",
     f"SELECT c.segment, count(*) FROM {ANALYST_ORDERS} o JOIN {ANALYST_CUSTOMERS} c USING (customer_id) GROUP BY 1 ORDER BY 1"),
    ("analyst_emea", "SELECT count(*) FROM sales.employees", "SELECT count(*) FROM sales.employees WHERE region = 'EMEA'"),
    ("analyst_emea", "SELECT * FROM sales.products ORDER BY product_id", "SELECT * FROM sales.products ORDER BY product_id"),
    ("analyst_emea", "WITH t AS (SELECT customer_id, sum(revenue) r FROM sales.orders GROUP BY 1) "
                     "SELECT customer_id, r, rank() OVER (ORDER BY r DESC) FROM t ORDER BY 3, 1 LIMIT 5",
     f"WITH t AS (SELECT customer_id, sum(revenue) r FROM {ANALYST_ORDERS} o GROUP BY 1) "
     "SELECT customer_id, r, rank() OVER (ORDER BY r DESC) FROM t ORDER BY 3, 1 LIMIT 5"),
    ("analyst_emea", "SELECT country FROM sales.customers UNION SELECT country FROM sales.orders ORDER BY 1",
     f"SELECT country FROM {ANALYST_CUSTOMERS} c UNION SELECT country FROM {ANALYST_ORDERS} o ORDER BY 1"),
    ("intern", "SELECT * FROM sales.products ORDER BY product_id", f"SELECT * FROM {INTERN_PRODUCTS} p ORDER BY product_id"),
    ("intern", "SELECT * FROM sales.customers ORDER BY customer_id LIMIT 20",
     f"SELECT * FROM {INTERN_CUSTOMERS} c ORDER BY customer_id LIMIT 20"),
    ("intern", "SELECT region, count(*) FROM sales.orders GROUP BY 1 ORDER BY 1",
     "SELECT region, count(*) FROM sales.orders GROUP BY 1 ORDER BY 1"),
    ("intern", "SELECT p.category, sum(o.revenue) FROM sales.orders o JOIN sales.products p USING (product_id) GROUP BY 1 ORDER BY 1",
     "SELECT p.category, sum(o.revenue) FROM sales.orders o JOIN sales.products p USING (product_id) GROUP BY 1 ORDER BY 1"),
]


@pytest.mark.parametrize("principal,query,reference", MATRIX, ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)])
def test_matrix(server, admin, principal, query, reference):
    with connect(server, principal) as c:
        got = run(c, query)
    expected = run(admin, reference)
    assert got == expected
    assert got[1], "a matrix query that shows nothing proves little"


def test_demo_principals_columns(analyst, intern, admin):
    assert run(admin, "SELECT * FROM sales.customers LIMIT 1")[0] == CUSTOMER_COLUMNS
    assert run(analyst, "SELECT * FROM sales.customers LIMIT 1")[0] == [c for c in CUSTOMER_COLUMNS if c != "email"]
    assert run(intern, "SELECT * FROM sales.products LIMIT 1")[0] == [c for c in PRODUCT_COLUMNS if c != "unit_cost"]
    assert error_of(intern, "SELECT * FROM sales.employees")[0] == "42P01"


# --- the adversarial list: one test per leak path ----------------------------------------------------------------

def same_as_missing(conn, sql, hidden, missing="no_such_col"):
    """A query naming a hidden column fails exactly as one naming a column that does not exist."""
    e1 = error_of(conn, sql.format(c=hidden))
    e2 = error_of(conn, sql.format(c=missing))
    assert e1 is not None and e1[0] == "42703"
    assert e1 == (e2[0], e2[1].replace(missing, hidden))


def test_leak_select_star(analyst):
    cols, rows = run(analyst, "SELECT * FROM sales.customers")
    assert "email" not in cols and all(r[cols.index("region")] == "EMEA" for r in rows)


def test_leak_alias(analyst):
    same_as_missing(analyst, "SELECT x.{c} FROM sales.customers x", "email")
    cols, _ = run(analyst, "SELECT * FROM sales.customers AS x(a, b, c)")
    assert len(cols) == 7


def test_leak_subquery(analyst):
    same_as_missing(analyst, "SELECT (SELECT max({c}) FROM sales.customers)", "email")
    assert run(analyst, "SELECT count(*) FROM (SELECT * FROM sales.orders) s WHERE region <> 'EMEA'")[1] == [(0,)]


def test_leak_cte(analyst):
    same_as_missing(analyst, "WITH c AS (SELECT * FROM sales.customers) SELECT {c} FROM c", "email")
    assert run(analyst, "WITH o AS (SELECT region FROM sales.orders) SELECT DISTINCT region FROM o")[1] == [("EMEA",)]


def test_leak_join(analyst):
    rows = run(analyst, "SELECT DISTINCT c.region FROM sales.orders o RIGHT JOIN sales.customers c USING (customer_id)")[1]
    assert rows == [("EMEA",)]
    assert run(analyst, "SELECT count(*) FROM sales.orders o JOIN sales.employees e USING (employee_id) "
                        "WHERE e.region <> 'EMEA'")[1] == [(0,)]


def test_leak_union(analyst):
    rows = run(analyst, "SELECT region FROM sales.orders UNION SELECT region FROM sales.employees "
                        "EXCEPT SELECT 'nothing' ORDER BY 1")[1]
    assert rows == [("EMEA",)]


def test_leak_window(analyst, admin):
    got = run(analyst, "SELECT count(*) OVER () FROM sales.orders LIMIT 1")[1]
    assert got == run(admin, "SELECT count(*) FROM sales.orders WHERE region = 'EMEA'")[1]


def test_leak_count_star(analyst, admin):
    assert run(analyst, "SELECT count(*) FROM sales.customers")[1] == \
        run(admin, "SELECT count(*) FROM sales.customers WHERE region = 'EMEA'")[1]


def test_leak_order_and_group_by_hidden(analyst, intern):
    same_as_missing(analyst, "SELECT name FROM sales.customers ORDER BY {c}", "email")
    same_as_missing(analyst, "SELECT count(*) FROM sales.customers GROUP BY {c}", "email")
    same_as_missing(intern, "SELECT name FROM sales.products ORDER BY {c} DESC LIMIT 1", "unit_cost")


def test_leak_function_over_hidden(analyst, intern):
    same_as_missing(analyst, "SELECT count(*) FROM sales.customers WHERE {c} LIKE '%@%'", "email")
    same_as_missing(intern, "SELECT sum({c}) FROM sales.products", "unit_cost")
    # The masked column is the mask's value everywhere, in predicates too.
    assert run(intern, "SELECT count(*) FROM sales.customers WHERE email LIKE '%@example.com'")[1] == [(0,)]


def test_leak_explain(analyst, intern):
    plan = "\n".join(r[0] for r in run(analyst, "EXPLAIN ANALYZE SELECT * FROM sales.customers")[1])
    assert "email" not in plan
    plan = "\n".join(r[0] for r in run(analyst, "EXPLAIN SELECT count(*) FROM sales.orders WHERE quantity > 3")[1])
    assert "policy: data filter regional_orders" in plan and "EMEA" not in plan and "quantity > 3" in plan
    assert error_of(intern, "EXPLAIN SELECT * FROM sales.employees")[0] == "42P01"
    same_as_missing(intern, "EXPLAIN SELECT {c} FROM sales.products", "unit_cost")


def test_leak_error_messages(intern, analyst):
    hidden = error_of(intern, "SELECT * FROM sales.employees")
    missing = error_of(intern, "SELECT * FROM sales.no_such_table")
    assert hidden == (missing[0], missing[1].replace("no_such_table", "employees"))
    same_as_missing(analyst, "SELECT {c} FROM sales.customers", "email")


def test_leak_error_side_channel(analyst, admin):
    # The policy's filter runs before the user's predicates: a predicate failing on hidden rows only never fails.
    q = "SELECT count(*) FROM sales.orders WHERE 1 / (CASE WHEN region = 'AMER' THEN 0 ELSE 1 END) = 1"
    assert error_of(admin, q)[0] == "22012"
    assert run(analyst, q)[1] == run(admin, "SELECT count(*) FROM sales.orders WHERE region = 'EMEA'")[1]


def test_leak_catalog(intern, analyst):
    tables = {r[0] for r in run(intern, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'sales'")[1]}
    assert tables == {"orders", "customers", "products"}
    assert run(intern, "SELECT count(*) FROM pg_class WHERE relname = 'employees'")[1] == [(0,)]
    cols = {r[0] for r in run(intern, "SELECT column_name FROM information_schema.columns WHERE table_name = 'products'")[1]}
    assert "unit_cost" not in cols and "list_price" in cols
    cols = {r[0] for r in run(analyst, "SELECT attname FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid "
                                       "WHERE c.relname = 'customers' AND a.attnum > 0")[1]}
    assert "email" not in cols and "region" in cols


def test_leak_ambiguous_name_and_explain_columns(server, admin):
    # A hidden table of the same name in another schema must not make an unqualified name
    # ambiguous (that would tell it exists); EXPLAIN lists only columns the user may see.
    run(admin, "CREATE SCHEMA IF NOT EXISTS hr")
    run(admin, "CREATE TABLE hr.products AS SELECT 1 AS secret")
    try:
        assert run(admin, "SET search_path = nowhere")[0] == []
        with connect(server, "intern") as c:
            run(c, "SET search_path = nowhere")
            names, rows = run(c, "SELECT count(*) FROM products")
            assert rows == run(admin, "SELECT count(*) FROM sales.products")[1]
            plan = "\n".join(r[0] for r in run(c, "EXPLAIN SELECT * FROM sales.products")[1])
            assert "unit_cost" not in plan and "list_price" in plan
        with connect(server, "analyst_emea") as c:
            plan = "\n".join(r[0] for r in run(c, "EXPLAIN SELECT * FROM sales.customers")[1])
            assert "email" not in plan and "region" in plan
        assert "ambiguous" in error_of(admin, "SELECT count(*) FROM products")[1]
    finally:
        run(admin, "RESET search_path")
        run(admin, "DROP TABLE hr.products")


def test_leak_result_cache_after_revoke(server, admin):
    run(admin, "CREATE USER cache_probe PASSWORD 'p'")
    run(admin, "GRANT SELECT ON sales.products TO cache_probe")
    with connect(server, "cache_probe", "p") as c:
        q = "SELECT count(*), max(unit_cost) FROM sales.products"
        first = run(c, q)
        assert run(c, q) == first  # cached
        run(admin, "REVOKE SELECT ON sales.products FROM cache_probe")
        assert error_of(c, q)[0] == "42P01"
        run(admin, "GRANT SELECT ON sales.products EXCLUDING (unit_cost) TO cache_probe")
        assert error_of(c, q)[0] == "42703"


def test_leak_prepared_statement_after_revoke(server, admin):
    run(admin, "CREATE USER prep_probe PASSWORD 'p'")
    run(admin, "GRANT SELECT ON sales.products TO prep_probe")
    with connect(server, "prep_probe", "p") as c:
        q = "SELECT name FROM sales.products WHERE product_id = %s"
        assert c.execute(q, (1,), prepare=True).fetchall()
        assert c.execute(q, (1,), prepare=True).fetchall()
        run(admin, "REVOKE SELECT ON sales.products FROM prep_probe")
        with pytest.raises(psycopg.Error) as e:
            c.execute(q, (1,), prepare=True).fetchall()
        assert e.value.sqlstate == "42P01"


def test_management_needs_privilege(intern):
    assert error_of(intern, "CREATE USER mallory PASSWORD 'x'")[0] == "42501"
    assert error_of(intern, "GRANT SELECT ON sales.employees TO intern")[0] == "42501"
    assert error_of(intern, "SHOW GRANTS FOR analyst_emea")[0] == "42501"
    assert any(r[1] == "MASK" for r in run(intern, "SHOW GRANTS")[1])


def test_definitions_need_superuser(intern, admin):
    for sql in ["DROP TABLE sales.employees", "CREATE TABLE sales.copy AS SELECT * FROM sales.orders",
                "CREATE SCHEMA mine"]:
        assert error_of(intern, sql)[0] == "42501", sql
    assert run(admin, "SELECT count(*) > 0 FROM sales.employees")[1] == [(True,)]


def test_new_user_logs_in_and_cascade(server, admin):
    run(admin, "CREATE USER lead PASSWORD 'l'")
    run(admin, "CREATE USER junior PASSWORD 'j'")
    run(admin, "GRANT SELECT (product_id, name) ON sales.products TO lead WITH GRANT OPTION")
    with connect(server, "lead", "l") as lead:
        # The option covers product_id and name only: more columns cannot be handed on.
        assert error_of(lead, "GRANT SELECT ON sales.products TO junior")[0] == "42501"
        assert error_of(lead, "GRANT SELECT (name, unit_cost) ON sales.products TO junior")[0] == "42501"
        assert error_of(lead, "GRANT SELECT ON sales.products EXCLUDING (product_id) TO junior")[0] == "42501"
        run(lead, "GRANT SELECT (name) ON sales.products TO junior")
    with connect(server, "junior", "j") as junior:
        assert run(junior, "SELECT * FROM sales.products LIMIT 1")[0] == ["name"]
        run(admin, "REVOKE SELECT ON sales.products FROM lead")
        assert error_of(junior, "SELECT name FROM sales.products")[0] == "42P01"


def test_users_change_only_their_own_password(server, admin):
    run(admin, "CREATE USER pw_probe PASSWORD 'old'")
    with connect(server, "pw_probe", "old") as c:
        run(c, "ALTER USER pw_probe PASSWORD 'new'")
        assert error_of(c, "ALTER USER pw_probe SUPERUSER")[0] == "42501"
        assert error_of(c, "ALTER USER pw_probe ATTRIBUTES (region = 'EMEA')")[0] == "42501"
        assert error_of(c, "ALTER USER intern PASSWORD 'x'")[0] == "42501"
    with pytest.raises(psycopg.OperationalError):
        connect(server, "pw_probe", "old")
    with connect(server, "pw_probe", "new") as c:
        assert run(c, "SELECT 1")[1] == [(1,)]


def test_superuser_flag_applies_to_open_sessions(server, admin):
    run(admin, "CREATE USER flag_probe PASSWORD 'f'")
    with connect(server, "flag_probe", "f") as c:
        assert error_of(c, "SELECT count(*) FROM sales.employees")[0] == "42P01"
        run(admin, "ALTER USER flag_probe SUPERUSER")
        assert run(c, "SELECT count(*) FROM sales.employees")[1][0][0] > 0
        assert c.info.parameter_status("is_superuser") == "on"
        run(admin, "ALTER USER flag_probe NOSUPERUSER")
        assert error_of(c, "SELECT count(*) FROM sales.employees")[0] == "42P01"
        assert error_of(c, "CREATE USER flag_child PASSWORD 'x'")[0] == "42501"
        assert c.info.parameter_status("is_superuser") == "off"


def test_audit_log(server, analyst):
    run(analyst, "SELECT count(*) FROM sales.orders")
    error_of(analyst, "SELECT email FROM sales.customers")
    lines = [json.loads(l) for l in server.audit_path.read_text().splitlines()]
    allowed = [l for l in lines if l["principal"] == "analyst_emea" and l["statement"] == "SELECT count(*) FROM sales.orders"]
    assert allowed and allowed[-1]["decision"] == "allowed"
    assert allowed[-1]["roles"] == ["analysts", "public"] or "analysts" in allowed[-1]["roles"]
    assert allowed[-1]["objects"][0]["table"] == "sales.orders"
    assert "data filter regional_orders" in allowed[-1]["policies"]
    denied = [l for l in lines if l["principal"] == "analyst_emea" and "email" in l["statement"]]
    assert denied and denied[-1]["decision"] == "denied" and denied[-1]["sqlstate"] == "42703"


# --- property: random filters and queries against a pre-filtered copy -------------------------------------------

ORDER_COLUMNS = ["order_id", "customer_id", "product_id", "channel", "region", "country", "quantity", "revenue", "status"]
PREDICATES = ["region = 'EMEA'", "quantity > 5", "channel IN ('Online', 'Partner')", "status <> 'Cancelled'",
              "revenue > 100.5", "country LIKE 'U%'", "NOT (region = 'AMER') AND quantity <= 10", "order_id % 3 = 0"]


def random_query(rng, columns):
    group = rng.choice([c for c in columns if c in ("channel", "region", "country", "status")] or [None])
    numeric = [c for c in columns if c in ("quantity", "revenue", "order_id")]
    measure = rng.choice(numeric) if numeric else None
    where = ""
    if "quantity" in columns and rng.random() < 0.5:
        where = f" WHERE quantity >= {rng.randint(1, 10)}"
    aggregates = "count(*)" + (f", sum({measure}), min({measure}), max({measure})" if measure else "")
    if group:
        return f"SELECT {group}, {aggregates} FROM orders{where} GROUP BY {group} ORDER BY {group}"
    return f"SELECT {aggregates} FROM orders{where}"


def normalize(rows):
    return [tuple(float(v) if isinstance(v, Decimal) else v for v in r) for r in rows]


def test_property_random_filters(server, admin, lake):
    rng = random.Random(6)
    files = str(lake / "sales" / "orders" / "**" / "*.parquet")
    duck = duckdb.connect()
    run(admin, "CREATE USER prop PASSWORD 'p'")
    with connect(server, "prop", "p") as c:
        for case in range(12):
            predicate = " AND ".join(rng.sample(PREDICATES, rng.randint(1, 2)))
            columns = sorted(rng.sample(ORDER_COLUMNS, rng.randint(2, len(ORDER_COLUMNS))), key=ORDER_COLUMNS.index)
            run(admin, f"CREATE DATA FILTER prop_{case} ON sales.orders ({', '.join(columns)}) WHERE {predicate}")
            run(admin, f"GRANT SELECT ON DATA FILTER prop_{case} TO prop")
            duck.execute(f"CREATE OR REPLACE VIEW orders AS SELECT {', '.join(columns)} "
                         f"FROM read_parquet('{files}', hive_partitioning = true) WHERE {predicate}")
            run(c, "SET search_path = sales")
            for _ in range(6):
                q = random_query(rng, columns)
                got = normalize(run(c, q)[1])
                expected = normalize(duck.execute(q).fetchall())
                assert len(got) == len(expected), (predicate, columns, q)
                for g, e in zip(got, expected):
                    assert g == pytest.approx(e), (predicate, columns, q)
            run(admin, f"DROP DATA FILTER prop_{case}")
