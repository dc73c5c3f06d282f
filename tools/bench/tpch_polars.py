"""TPC-H queries written with the Polars lazy DataFrame API, for tools/bench/tpch_bench.py.

tpch_bench.py runs each query through Polars' SQL (pl.SQLContext) and falls back to the
function here when Polars' SQL cannot run it; `tpch_bench.py --polars-api` uses these
versions wherever one exists, which is how they are checked against DuckDB's results.

With Polars 2.1.0 the SQL front end runs all 22 queries and returns DuckDB's results,
so none of these is used by default. They cover the queries whose SQL needs the most
from a SQL front end (correlated and uncorrelated subqueries, EXISTS / NOT EXISTS,
NOT IN, HAVING with a scalar subquery, a CTE used twice, derived column lists), so a
Polars release whose SQL rejects one of them still runs the whole benchmark.

Each function takes {table name: LazyFrame} and returns a LazyFrame whose columns are, in
order, those of the SQL text in Fixtures/tpch/qNN.sql (names may differ; the benchmark
compares by position).
"""
import datetime

import polars as pl

col, lit = pl.col, pl.lit


def _date(text):
    return lit(datetime.date.fromisoformat(text))


def _revenue():
    """l_extendedprice * (1 - l_discount), exactly: Polars' DataFrame API gives a product of two
    decimal(_, 2) columns scale 2 (rounding every product), so widen one side to scale 4 first,
    as Polars' SQL front end does."""
    return col("l_extendedprice").cast(pl.Decimal(38, 4)) * (1 - col("l_discount"))


def q02(t):
    europe = (t["region"].filter(col("r_name") == "EUROPE")
              .join(t["nation"], left_on="r_regionkey", right_on="n_regionkey")
              .join(t["supplier"], left_on="n_nationkey", right_on="s_nationkey")
              .join(t["partsupp"], left_on="s_suppkey", right_on="ps_suppkey", coalesce=False))
    brass = (t["part"].filter((col("p_size") == 15) & col("p_type").str.ends_with("BRASS"))
             .join(europe, left_on="p_partkey", right_on="ps_partkey"))
    # The correlated min(ps_supplycost) over European suppliers of the same part.
    cheapest = brass.group_by("p_partkey").agg(col("ps_supplycost").min().alias("min_cost"))
    return (brass.join(cheapest, on="p_partkey")
            .filter(col("ps_supplycost") == col("min_cost"))
            .select("s_acctbal", "s_name", "n_name", "p_partkey", "p_mfgr", "s_address", "s_phone", "s_comment")
            .sort(["s_acctbal", "n_name", "s_name", "p_partkey"], descending=[True, False, False, False])
            .head(100))


def q04(t):
    late = t["lineitem"].filter(col("l_commitdate") < col("l_receiptdate")).select("l_orderkey")
    return (t["orders"]
            .filter((col("o_orderdate") >= _date("1993-07-01")) & (col("o_orderdate") < _date("1993-10-01")))
            .join(late, left_on="o_orderkey", right_on="l_orderkey", how="semi")
            .group_by("o_orderpriority").agg(pl.len().alias("order_count"))
            .sort("o_orderpriority"))


def q11(t):
    germany = (t["partsupp"]
               .join(t["supplier"], left_on="ps_suppkey", right_on="s_suppkey")
               .join(t["nation"].filter(col("n_name") == "GERMANY"), left_on="s_nationkey", right_on="n_nationkey")
               .with_columns((col("ps_supplycost") * col("ps_availqty")).alias("value")))
    threshold = germany.select((col("value").sum().cast(pl.Float64) * 0.0001).alias("threshold"))
    return (germany.group_by("ps_partkey").agg(col("value").sum())
            .join(threshold, how="cross")
            .filter(col("value").cast(pl.Float64) > col("threshold"))
            .select("ps_partkey", "value")
            .sort("value", descending=True))


def q13(t):
    orders = t["orders"].filter(~col("o_comment").str.contains("special.*requests"))
    per_customer = (t["customer"].join(orders, left_on="c_custkey", right_on="o_custkey", how="left")
                    .group_by("c_custkey").agg(col("o_orderkey").count().alias("c_count")))
    return (per_customer.group_by("c_count").agg(pl.len().alias("custdist"))
            .sort(["custdist", "c_count"], descending=[True, True]))


def q15(t):
    revenue = (t["lineitem"]
               .filter((col("l_shipdate") >= _date("1996-01-01")) & (col("l_shipdate") < _date("1996-04-01")))
               .group_by("l_suppkey")
               .agg(_revenue().sum().alias("total_revenue")))
    top = revenue.filter(col("total_revenue") == col("total_revenue").max())
    return (t["supplier"].join(top, left_on="s_suppkey", right_on="l_suppkey")
            .select("s_suppkey", "s_name", "s_address", "s_phone", "total_revenue")
            .sort("s_suppkey"))


def q16(t):
    complaints = t["supplier"].filter(col("s_comment").str.contains("Customer.*Complaints")).select("s_suppkey")
    parts = t["part"].filter((col("p_brand") != "Brand#45")
                             & ~col("p_type").str.starts_with("MEDIUM POLISHED")
                             & col("p_size").is_in([49, 14, 23, 45, 19, 3, 36, 9]))
    return (t["partsupp"]
            .join(complaints, left_on="ps_suppkey", right_on="s_suppkey", how="anti")
            .join(parts, left_on="ps_partkey", right_on="p_partkey")
            .group_by("p_brand", "p_type", "p_size")
            .agg(col("ps_suppkey").n_unique().alias("supplier_cnt"))
            .sort(["supplier_cnt", "p_brand", "p_type", "p_size"], descending=[True, False, False, False]))


def q17(t):
    parts = t["part"].filter((col("p_brand") == "Brand#23") & (col("p_container") == "MED BOX")).select("p_partkey")
    items = t["lineitem"].join(parts, left_on="l_partkey", right_on="p_partkey")
    # The correlated 0.2 * avg(l_quantity) over all lineitems of the same part.
    limit = items.group_by("l_partkey").agg((0.2 * col("l_quantity").mean()).alias("limit"))
    return (items.join(limit, on="l_partkey")
            .filter(col("l_quantity") < col("limit"))
            .select((col("l_extendedprice").sum() / 7.0).alias("avg_yearly")))


def q18(t):
    big = (t["lineitem"].group_by("l_orderkey").agg(col("l_quantity").sum().alias("qty"))
           .filter(col("qty") > 300).select("l_orderkey"))
    return (t["orders"].join(big, left_on="o_orderkey", right_on="l_orderkey", how="semi")
            .join(t["customer"], left_on="o_custkey", right_on="c_custkey", coalesce=False)
            .join(t["lineitem"], left_on="o_orderkey", right_on="l_orderkey")
            .group_by("c_name", "c_custkey", "o_orderkey", "o_orderdate", "o_totalprice")
            .agg(col("l_quantity").sum().alias("sum(l_quantity)"))
            .sort(["o_totalprice", "o_orderdate"], descending=[True, False])
            .head(100))


def q20(t):
    forest = t["part"].filter(col("p_name").str.starts_with("forest")).select("p_partkey")
    shipped = (t["lineitem"]
               .filter((col("l_shipdate") >= _date("1994-01-01")) & (col("l_shipdate") < _date("1995-01-01")))
               .group_by("l_partkey", "l_suppkey")
               .agg((0.5 * col("l_quantity").sum().cast(pl.Float64)).alias("half")))
    # The correlated scalar subquery: a (part, supplier) with no shipment compares with NULL, so it drops out.
    candidates = (t["partsupp"].join(forest, left_on="ps_partkey", right_on="p_partkey", how="semi")
                  .join(shipped, left_on=["ps_partkey", "ps_suppkey"], right_on=["l_partkey", "l_suppkey"])
                  .filter(col("ps_availqty") > col("half"))
                  .select("ps_suppkey"))
    return (t["supplier"]
            .join(t["nation"].filter(col("n_name") == "CANADA"), left_on="s_nationkey", right_on="n_nationkey")
            .join(candidates, left_on="s_suppkey", right_on="ps_suppkey", how="semi")
            .select("s_name", "s_address")
            .sort("s_name"))


def q21(t):
    lineitem = t["lineitem"]
    late = lineitem.filter(col("l_receiptdate") > col("l_commitdate"))
    # EXISTS another supplier on the order <=> the order has at least two distinct suppliers;
    # NOT EXISTS another late supplier <=> l1's supplier is the order's only late one.
    suppliers = lineitem.group_by("l_orderkey").agg(col("l_suppkey").n_unique().alias("n_suppliers"))
    late_suppliers = late.group_by("l_orderkey").agg(col("l_suppkey").n_unique().alias("n_late"))
    return (t["supplier"]
            .join(t["nation"].filter(col("n_name") == "SAUDI ARABIA"), left_on="s_nationkey", right_on="n_nationkey")
            .join(late, left_on="s_suppkey", right_on="l_suppkey")
            .join(t["orders"].filter(col("o_orderstatus") == "F"), left_on="l_orderkey", right_on="o_orderkey")
            .join(suppliers.filter(col("n_suppliers") > 1), on="l_orderkey", how="semi")
            .join(late_suppliers.filter(col("n_late") == 1), on="l_orderkey", how="semi")
            .group_by("s_name").agg(pl.len().alias("numwait"))
            .sort(["numwait", "s_name"], descending=[True, False])
            .head(100))


def q22(t):
    codes = ["13", "31", "23", "29", "30", "18", "17"]
    customers = (t["customer"].with_columns(col("c_phone").str.slice(0, 2).alias("cntrycode"))
                 .filter(col("cntrycode").is_in(codes)))
    average = customers.filter(col("c_acctbal") > 0).select(col("c_acctbal").mean().alias("avg_bal"))
    return (customers.join(t["orders"], left_on="c_custkey", right_on="o_custkey", how="anti")
            .join(average, how="cross")
            .filter(col("c_acctbal") > col("avg_bal"))
            .group_by("cntrycode")
            .agg(pl.len().alias("numcust"), col("c_acctbal").sum().alias("totacctbal"))
            .sort("cntrycode"))


QUERIES = {2: q02, 4: q04, 11: q11, 13: q13, 15: q15, 16: q16, 17: q17, 18: q18, 20: q20, 21: q21, 22: q22}
