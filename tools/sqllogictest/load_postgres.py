"""Loads the fixture lake (Fixtures/lake) into PostgreSQL as database
`basalt_fixtures`, the reference the sqllogictest expected results come from.

    .venv/bin/python tools/sqllogictest/load_postgres.py

The tables are found the way Basalt discovers them: every directory
<lake>/<schema>/<table>/ holding Parquet files (at any depth under Hive-style
key=value/ directories) is table schema.table. Its columns are

  - the union of the files' columns, in the order first seen walking the files
    in sorted path order (a column a file lacks is NULL for that file's rows;
    the same column with different types in two files is an error);
  - then the partition keys, in directory order, typed by inference over all
    their values: all integers -> bigint, all YYYY-MM-DD -> date, else text.

Parquet (Arrow) types map to: int16 smallint, int32 integer, int64 bigint,
float32 real, float64 double precision, decimal128(p,s) numeric(p,s), string
text, bool boolean, date32 date, timestamp[us] timestamp, timestamp[us, tz]
timestamptz.

The database is created with LC_COLLATE "C" (text sorts and compares by code
point, as Basalt does) and LC_CTYPE "C.UTF-8" (upper/lower/ILIKE know Unicode).
"""
import math
import pathlib
import re
import sys

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import pg  # noqa: E402

INT_RE = re.compile(r"^-?[0-9]+$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def pg_type(t):
    if pa.types.is_int16(t):
        return "smallint"
    if pa.types.is_int32(t):
        return "integer"
    if pa.types.is_int64(t):
        return "bigint"
    if pa.types.is_float32(t):
        return "real"
    if pa.types.is_float64(t):
        return "double precision"
    if pa.types.is_decimal(t):
        return "numeric(%d,%d)" % (t.precision, t.scale)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "text"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_date32(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "timestamptz" if t.tz else "timestamp"
    raise SystemExit("no PostgreSQL type for Arrow type %s" % t)


def partition_type(values):
    if all(INT_RE.match(v) for v in values):
        return "bigint"
    if all(DATE_RE.match(v) for v in values):
        return "date"
    return "text"


def discover(lake):
    """[(schema, table, [(column, pg type)], [rows as lists of Python values])]."""
    tables = []
    for schema_dir in sorted(p for p in lake.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        for table_dir in sorted(p for p in schema_dir.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
            files = sorted(table_dir.rglob("*.parquet"))
            if not files:
                continue
            columns, types, keys, parts = [], {}, [], []
            for f in files:
                schema = pq.read_schema(f)
                for field in schema:
                    t = pg_type(field.type)
                    if field.name not in types:
                        columns.append(field.name)
                        types[field.name] = t
                    elif types[field.name] != t:
                        raise SystemExit("%s.%s: column %s is %s in one file and %s in %s"
                                         % (schema_dir.name, table_dir.name, field.name, types[field.name], t, f))
                pairs = [seg.split("=", 1) for seg in f.relative_to(table_dir).parent.parts]
                for k, _ in pairs:
                    if k not in keys:
                        keys.append(k)
                parts.append(dict(pairs))
            key_types = {k: partition_type([p[k] for p in parts if k in p]) for k in keys}
            rows = []
            for f, part in zip(files, parts):
                data = pq.read_table(f).to_pylist()
                for r in data:
                    rows.append([r.get(c) for c in columns] + [part.get(k) for k in keys])
            cols = [(c, types[c]) for c in columns] + [(k, key_types[k]) for k in keys]
            tables.append((schema_dir.name, table_dir.name, cols, rows))
    return tables


def copy_text(v):
    """A value in COPY's text format."""
    if v is None:
        return "\\N"
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
    s = str(v)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def script(tables):
    out = []
    for schema in sorted({t[0] for t in tables}):
        out.append("CREATE SCHEMA %s;" % pg.quote_ident(schema))
    for schema, table, cols, rows in tables:
        name = "%s.%s" % (pg.quote_ident(schema), pg.quote_ident(table))
        out.append("CREATE TABLE %s (%s);" % (name, ", ".join("%s %s" % (pg.quote_ident(c), t) for c, t in cols)))
        out.append("COPY %s FROM STDIN;" % name)
        out.extend("\t".join(copy_text(v) for v in r) for r in rows)
        out.append("\\.")
    out.append("ANALYZE;")
    return "\n".join(out) + "\n"


def main():
    pg.ensure_server()
    tables = discover(pg.LAKE)
    pg.psql("postgres",
            "DROP DATABASE IF EXISTS %s;\nDROP DATABASE IF EXISTS %s;\n"
            "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8';\n"
            % (pg.SCRATCH_DB, pg.FIXTURE_DB, pg.FIXTURE_DB), check=True)
    pg.psql(pg.FIXTURE_DB, script(tables), check=True)
    for schema, table, cols, rows in tables:
        print("%s.%s: %d rows (%s)" % (schema, table, len(rows), ", ".join("%s %s" % c for c in cols)))


if __name__ == "__main__":
    main()
