"""Regenerates the small Parquet fixtures in Fixtures/parquet/ (deterministic).

demo_orders.parquet: 200 order lines shaped like the demo lake's sales.orders
(shared/spec/demo-dataset.md), written by pyarrow with ZSTD, dictionary
strings, statistics and a page index, so `basalt parquet inspect` has
something realistic to show before the lake exists.
"""
import datetime
import decimal
import pathlib
import random

import pyarrow as pa
import pyarrow.parquet as pq

OUT = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "parquet"
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


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    demo_orders()
