"""Regenerates the small, deterministic fixtures under Fixtures/ (run with the
project's venv: `.venv/bin/python tools/make_fixtures.py`).

Fixtures/parquet/demo_orders.parquet
    200 order lines shaped like the demo lake's sales.orders
    (shared/spec/demo-dataset.md), written by pyarrow with ZSTD, dictionary
    strings, statistics and a page index, so `basalt parquet inspect` has
    something realistic to show before the lake exists.

Fixtures/lake/
    The SQL engine's test lake: schema `test`, one directory per table, some
    Hive-partitioned, one spread over files with different columns. The
    sqllogictest files in Fixtures/sql/ run against a copy of it, and
    tools/sqllogictest/load_postgres.py loads the same rows into PostgreSQL to
    produce their expected results. Fixtures/lake/README.md describes every
    table; keep it in step with this file.

Every value is written out literally (or from a seeded generator), so running
this twice gives byte-identical files for a given pyarrow version.
"""
import datetime
import decimal
import pathlib
import random
import shutil

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parent.parent / "Fixtures"
OUT = ROOT / "parquet"
LAKE = ROOT / "lake"
REGIONS = {
    "AMER": ["United States", "Canada"],
    "LATAM": ["Mexico", "Brazil", "Argentina", "Chile"],
    "EMEA": ["Germany", "France", "United Kingdom", "Spain", "Italy", "Netherlands"],
    "APAC": ["Japan", "China", "India", "Australia", "Singapore", "South Korea"],
}


def demo_orders(n=200):
    rng = random.Random(7)
    rows = []
    order_id = 1000
    while len(rows) < n:
        order_id += 1
        region = rng.choice(list(REGIONS))
        country = rng.choice(REGIONS[region])
        day = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randrange(1096))
        status = rng.choice(["Delivered", "Shipped", "Pending", "Cancelled", "Returned"])
        for line in range(1, rng.randint(1, 5) + 1):
            qty = rng.randint(1, 20)
            price = decimal.Decimal(rng.randrange(500, 200000)) / 100
            disc = decimal.Decimal(rng.choice([0, 5, 10, 15, 20, 30])) / 100
            rows.append({
                "order_id": order_id, "line_no": line, "order_date": day,
                "ship_date": None if status in ("Pending", "Cancelled") else day + datetime.timedelta(days=rng.randint(0, 14)),
                "customer_id": rng.randint(1, 500), "product_id": rng.randint(1, 500), "employee_id": rng.randint(1, 200),
                "channel": rng.choice(["Online", "Retail", "Partner"]), "region": region, "country": country,
                "quantity": qty, "unit_price": price, "discount": disc,
                "revenue": (qty * price * (1 - disc)).quantize(decimal.Decimal("0.01")), "status": status,
            })
    rows = rows[:n]
    schema = pa.schema([
        ("order_id", pa.int64()), ("line_no", pa.int32()), ("order_date", pa.date32()), ("ship_date", pa.date32()),
        ("customer_id", pa.int64()), ("product_id", pa.int64()), ("employee_id", pa.int64()),
        ("channel", pa.string()), ("region", pa.string()), ("country", pa.string()), ("quantity", pa.int32()),
        ("unit_price", pa.decimal128(10, 2)), ("discount", pa.decimal128(4, 2)), ("revenue", pa.decimal128(12, 2)),
        ("status", pa.string()),
    ])
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, OUT / "demo_orders.parquet", compression="zstd", write_page_index=True,
                   row_group_size=100, data_page_size=4096)


# ---------------------------------------------------------------------------
# The test lake. Types map to PostgreSQL as tools/sqllogictest/load_postgres.py
# does: int16 smallint, int32 integer, int64 bigint, float32 real, float64
# double precision, decimal128(p,s) numeric(p,s), string text, bool boolean,
# date32 date, timestamp[us] timestamp, timestamp[us, UTC] timestamptz.

D = decimal.Decimal
NAN, INF = float("nan"), float("inf")


def date(s):
    return datetime.date.fromisoformat(s)


def ts(s):
    return datetime.datetime.fromisoformat(s)


def tstz(s):
    return datetime.datetime.fromisoformat(s).replace(tzinfo=datetime.timezone.utc)


def write(rel, schema, rows, **options):
    """Writes rows (tuples in schema order) to LAKE/rel as one Parquet file."""
    path = LAKE / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(zip(*rows)) if rows else [[] for _ in schema]
    table = pa.Table.from_arrays([pa.array(list(c), type=f.type) for c, f in zip(columns, schema)], schema=schema)
    options.setdefault("compression", "snappy")
    pq.write_table(table, path, **options)


def numbers():
    schema = pa.schema([
        ("id", pa.int32()), ("grp", pa.string()), ("i", pa.int32()), ("b", pa.int64()), ("s", pa.int16()),
        ("r", pa.float32()), ("d", pa.float64()), ("n", pa.decimal128(12, 2)),
    ])
    rows = [
        (1, "a", 0, 0, 0, 0.0, 0.0, D("0.00")),
        (2, "a", 1, 10, 1, 1.5, 1.5, D("1.50")),
        (3, "b", -1, -10, -1, -1.5, -1.5, D("-1.50")),
        (4, "b", 42, 4200000000, 7, 3.25, 2.5, D("123.45")),
        (5, "c", -17, -9000000000, -300, 0.1, 0.1, D("-0.01")),
        (6, "c", 7, 100, 3, 2.0, 3.141592653589793, D("0.50")),
        (7, "a", 7, None, 3, None, 1e-07, D("33.33")),
        (8, None, None, None, None, None, None, None),
        (9, "b", 100, 1000000, 100, 100.0, 100.0, D("100.00")),
        (10, "c", 3, 3, 3, 0.3, 0.1 + 0.2, D("0.33")),
        (11, "a", 25, 625, 5, 6.25, 1e20, D("9999999999.99")),
        (12, "b", -5, -25, None, -2.5, -2.5, None),
    ]
    write("test/numbers/part-0.parquet", schema, rows)


def limits():
    schema = pa.schema([("id", pa.int32()), ("i", pa.int32()), ("b", pa.int64()), ("s", pa.int16()),
                        ("n", pa.decimal128(38, 0))])
    rows = [
        (1, 2147483647, 9223372036854775807, 32767, D("99999999999999999999999999999999999999")),
        (2, -2147483648, -9223372036854775808, -32768, D("-99999999999999999999999999999999999999")),
        (3, 1, 1, 1, D("1")),
    ]
    write("test/limits/part-0.parquet", schema, rows)


def floats():
    schema = pa.schema([("id", pa.int32()), ("f", pa.float64()), ("r", pa.float32())])
    rows = [
        (1, 0.1, 0.1), (2, -0.0, -0.0), (3, INF, INF), (4, -INF, -INF), (5, NAN, NAN),
        (6, 1e300, 3.4028235e38), (7, 5e-324, 1e-45), (8, 1.2345678901234568e17, 123456789.0),
        (9, 1e15, 1e15), (10, 1e16, 1e16), (11, 0.000123, 0.000123), (12, 1e-05, 1e-05),
        (13, 100.0, 100.0), (14, 2.5, 2.5), (15, None, None), (16, 123456.789, 1.1),
        (17, -3.5, -3.5), (18, 1e-4, 1e-4),
    ]
    write("test/floats/part-0.parquet", schema, rows)


def people():
    schema = pa.schema([
        ("id", pa.int32()), ("name", pa.string()), ("city", pa.string()), ("birth_date", pa.date32()),
        ("created_at", pa.timestamp("us")), ("updated_at", pa.timestamp("us", tz="UTC")),
        ("active", pa.bool_()), ("score", pa.float64()), ("height_cm", pa.int16()), ("salary", pa.decimal128(10, 2)),
    ])
    rows = [
        (1, "Alice", "Paris", date("1990-05-17"), ts("2023-01-15 09:30:00"), tstz("2024-03-01 12:00:00"), True, 88.5, 168, D("52000.00")),
        (2, "Bob", "Berlin", date("1985-12-01"), ts("2023-02-28 23:59:59"), tstz("2024-03-02 08:15:30.5"), False, 72.25, 181, D("48000.50")),
        (3, "José", "São Paulo", date("1992-02-29"), ts("2023-03-01 00:00:00"), tstz("2024-02-29 23:00:00"), True, 95.0, 175, D("61000.00")),
        (4, "Zoë", "paris", date("2000-01-01"), ts("2023-06-30 12:34:56.789"), None, None, None, 160, D("39999.99")),
        (5, "Łukasz", "Warszawa", date("1978-07-04"), ts("2022-12-31 23:59:59.999999"), tstz("2024-01-01 00:00:00"), True, 66.0, 190, D("75500.25")),
        (6, "李雷", "北京", date("1995-10-10"), ts("2023-10-10 10:10:10"), tstz("2024-05-05 05:05:05"), False, 81.75, 172, D("58000.00")),
        (7, "Ångström", "Uppsala", None, ts("2021-01-01 00:00:00"), tstz("2023-12-31 23:59:59"), True, 99.9, None, None),
        (8, None, "Berlin", date("1988-08-08"), None, None, False, 50.0, 165, D("30000.00")),
        (9, "", None, date("2001-09-11"), ts("2023-09-11 08:46:00"), tstz("2024-09-11 08:46:00"), None, 0.0, 170, D("0.00")),
        (10, "alice", "Paris", date("1990-05-17"), ts("2023-01-15 09:30:00"), tstz("2024-03-01 12:00:00"), True, 88.5, 168, D("52000.00")),
        (11, " Bob ", "Berlin", date("1969-07-20"), ts("1999-12-31 23:59:59"), tstz("2000-01-01 00:00:00"), False, -5.5, 200, D("-100.00")),
        (12, "O'Brien", "Dublin", date("1975-03-17"), ts("2024-03-17 17:00:00"), tstz("2024-03-17 17:00:00"), True, 77.0, 183, D("64000.00")),
        (13, "under_score", "Tokyo", date("1999-01-31"), ts("2024-01-31 12:00:00"), tstz("2024-01-31 12:00:00"), False, 60.5, 158, D("45000.00")),
        (14, "100% sure", "Tokyo", date("2004-02-29"), ts("2024-02-29 06:00:00"), tstz("2024-02-29 06:00:00"), True, 70.0, 177, D("47000.00")),
        (15, "ana", "São Paulo", date("1995-10-10"), ts("2023-10-10 10:10:10"), tstz("2023-10-10 10:10:10"), True, 81.75, 164, D("58000.00")),
        (16, "Émile", "Paris", date("1983-11-05"), ts("2020-02-29 14:00:00"), tstz("2020-02-29 14:00:00"), False, 91.0, 179, D("80000.00")),
    ]
    write("test/people/part-0.parquet", schema, rows)


def star_schema():
    customers = pa.schema([("customer_id", pa.int64()), ("name", pa.string()), ("country", pa.string()),
                           ("segment", pa.string()), ("signup_date", pa.date32())])
    write("test/customers/part-0.parquet", customers, [
        (1, "Acme", "US", "enterprise", date("2020-01-15")),
        (2, "Globex", "DE", "enterprise", date("2020-06-01")),
        (3, "Initech", "US", "smb", date("2021-03-10")),
        (4, "Umbrella", "FR", "smb", date("2021-11-30")),
        (5, "Hooli", "US", "consumer", date("2022-02-14")),
        (5, "Hooli Duplicate", "CA", "consumer", date("2022-02-15")),   # duplicate key
        (6, "Stark", None, "enterprise", date("2019-07-04")),
        (7, "Wayne", "US", None, date("2023-05-05")),                 # no orders
        (8, "Tyrell", "JP", "smb", None),                             # no orders
    ])
    products = pa.schema([("product_id", pa.int32()), ("name", pa.string()), ("category", pa.string()),
                          ("price", pa.decimal128(10, 2)), ("weight_kg", pa.float64())])
    write("test/products/part-0.parquet", products, [
        (1, "Widget", "tools", D("9.99"), 0.5),
        (2, "Gadget", "tools", D("24.50"), 1.25),
        (3, "Gizmo", "toys", D("5.00"), 0.1),
        (4, "Doohickey", "toys", D("12.75"), None),
        (5, "Thingamajig", None, D("100.00"), 3.0),
        (6, "Whatsit", "garden", D("0.99"), 0.05),
        (10, "Unsold", "garden", D("49.95"), 7.5),                  # never ordered
    ])
    orders = pa.schema([("order_id", pa.int64()), ("customer_id", pa.int64()), ("product_id", pa.int32()),
                        ("quantity", pa.int32()), ("amount", pa.decimal128(12, 2)), ("order_date", pa.date32()),
                        ("shipped_at", pa.timestamp("us")), ("status", pa.string()), ("priority", pa.int16())])
    write("test/orders/part-0.parquet", orders, [
        (100, 1, 1, 10, D("99.90"), date("2024-01-05"), ts("2024-01-06 10:00:00"), "shipped", 1),
        (101, 1, 2, 2, D("49.00"), date("2024-01-05"), ts("2024-01-07 15:30:00"), "shipped", 2),
        (102, 2, 3, 5, D("25.00"), date("2024-01-17"), None, "pending", 3),
        (103, 3, 1, 1, D("9.99"), date("2024-02-01"), ts("2024-02-03 09:00:00"), "shipped", 1),
        (104, 3, 4, 4, D("51.00"), date("2024-02-14"), ts("2024-02-14 18:45:00"), "delivered", 2),
        (105, 4, 5, 1, D("100.00"), date("2024-02-29"), None, "cancelled", None),
        (106, 5, 6, 100, D("99.00"), date("2024-03-01"), ts("2024-03-02 00:00:00"), "delivered", 3),
        (107, 5, 2, 3, D("73.50"), date("2024-03-15"), ts("2024-03-16 12:00:00"), "shipped", 1),
        (108, 6, 3, 7, D("35.00"), date("2024-03-31"), None, "pending", 2),
        (109, 99, 1, 2, D("19.98"), date("2024-04-01"), ts("2024-04-02 08:00:00"), "shipped", 1),   # unknown customer
        (110, None, 2, 1, D("24.50"), date("2024-04-02"), None, "pending", None),                  # no customer
        (111, 2, 77, 5, D("5.55"), date("2024-04-10"), ts("2024-04-11 11:11:11"), "delivered", 2),  # unknown product
        (112, 2, None, 1, None, date("2024-04-20"), None, "cancelled", 3),
        (113, 1, 4, 2, D("25.50"), date("2024-05-01"), ts("2024-05-01 23:59:59"), "delivered", 1),
        (114, 4, 1, 6, D("59.94"), date("2024-05-05"), ts("2024-05-06 07:00:00"), "shipped", 2),
        (115, 6, 6, 50, D("49.50"), date("2024-05-20"), ts("2024-05-21 13:00:00"), "delivered", 3),
        (116, 3, 2, 2, D("49.00"), date("2024-06-01"), None, "pending", 1),
        (117, 1, 3, 3, D("15.00"), date("2024-06-15"), ts("2024-06-16 10:00:00"), "shipped", None),
    ])


def events():
    """Hive-partitioned by day (date) then kind (string); file columns come first,
    partition keys after them in directory order."""
    schema = pa.schema([("event_id", pa.int64()), ("user_id", pa.int32()), ("value", pa.float64()),
                        ("ts", pa.timestamp("us")), ("payload", pa.string())])
    rng = random.Random(11)
    event_id = 0
    for day in ("2024-01-01", "2024-01-02", "2024-01-03"):
        for kind in ("a", "b", "c"):
            if (day, kind) == ("2024-01-03", "c"):
                continue
            rows = []
            for _ in range(4 if kind != "c" else 2):
                event_id += 1
                user = rng.choice([1, 2, 3, 4, None])
                value = round(rng.uniform(-10, 100), 2) if event_id % 7 else None
                hour = rng.randrange(24)
                rows.append((event_id, user, value, ts("%s %02d:%02d:00" % (day, hour, rng.randrange(60))),
                             "%s-%d" % (kind, event_id)))
            write("test/events/day=%s/kind=%s/part-0.parquet" % (day, kind), schema, rows)


def readings():
    """Hive-partitioned by an integer key; 10 sorts before 2 as text but not as a number."""
    schema = pa.schema([("reading_id", pa.int64()), ("at", pa.timestamp("us")), ("celsius", pa.float64())])
    rid = 0
    for sensor, temps in ((1, [20.5, 21.0, 21.5]), (2, [18.0, None, 19.25]), (10, [-3.5, -4.0])):
        rows = []
        for k, t in enumerate(temps):
            rid += 1
            rows.append((rid, ts("2024-02-0%d 0%d:00:00" % (k + 1, sensor % 10)), t))
        write("test/readings/sensor_id=%d/part-0.parquet" % sensor, schema, rows)


def merged():
    """One table over three files whose schemas differ: `note` is missing from
    part-0 and `name` from part-2 (both read as NULL there)."""
    write("test/merged/part-0.parquet",
          pa.schema([("id", pa.int64()), ("name", pa.string()), ("amount", pa.float64())]),
          [(1, "one", 1.5), (2, "two", 2.5), (3, None, 3.5)])
    write("test/merged/part-1.parquet",
          pa.schema([("id", pa.int64()), ("name", pa.string()), ("amount", pa.float64()), ("note", pa.string())]),
          [(4, "four", 4.5, "n4"), (5, "five", None, None)])
    write("test/merged/part-2.parquet",
          pa.schema([("id", pa.int64()), ("amount", pa.float64()), ("note", pa.string())]),
          [(6, 6.5, "n6"), (7, 7.5, "n7")])


def series():
    """10,000 rows over two files of five row groups each, with statistics and a
    page index: enough for LIMIT, large aggregates and (later) pruning."""
    schema = pa.schema([("n", pa.int64()), ("bucket", pa.int32()), ("label", pa.string()), ("x", pa.float64())])
    for part in range(2):
        rows = [(n, n % 10, "L%d" % (n % 7), n / 4.0) for n in range(part * 5000, (part + 1) * 5000)]
        write("test/series/part-%d.parquet" % part, schema, rows, row_group_size=1000,
              write_page_index=True, data_page_size=2048, compression="zstd")


def empty():
    schema = pa.schema([("id", pa.int32()), ("name", pa.string()), ("amount", pa.decimal128(10, 2))])
    write("test/empty/part-0.parquet", schema, [])


def lake():
    if LAKE.exists():
        for child in LAKE.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
    LAKE.mkdir(parents=True, exist_ok=True)
    numbers()
    limits()
    floats()
    people()
    star_schema()
    events()
    readings()
    merged()
    series()
    empty()


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    demo_orders()
    lake()
