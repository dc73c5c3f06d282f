"""Fills in (or refreshes) the expected results of the sqllogictest files from
PostgreSQL, the reference for Basalt's SQL dialect.

    .venv/bin/python tools/sqllogictest/load_postgres.py      # once, and after changing the lake
    .venv/bin/python tools/sqllogictest/expect.py              # every Fixtures/sql/*.test
    .venv/bin/python tools/sqllogictest/expect.py joins.test   # some files
    .venv/bin/python tools/sqllogictest/expect.py --check      # report differences, write nothing

To add a test: write the record's header and SQL (a `query` may leave its
types out: `query` alone, or `query rowsort`), run this script, review the
diff, commit. Each file runs against a fresh copy of the fixture database, its
records in order, so `CREATE TABLE ... AS` in one record is visible to the next.

What it writes, record by record:
  query              the type letters from PostgreSQL's result types (I integer
                     types, R real/double/numeric, B boolean, D date/time/
                     timestamp[tz], T everything else), the sort mode kept as
                     written, then the rows (sorted for rowsort/valuesort, so
                     the file reads in a stable order);
  statement ok       nothing; it fails if PostgreSQL reports an error;
  statement error    `statement error SQLSTATE` (a hand-written regex in the
                     header is kept instead) and a `----` block with
                     PostgreSQL's message and, when there is one, `HINT:  ...`.
Records under `onlyif basalt` (or `skipif postgresql`) are not run here and are
left exactly as written: that is where Basalt-only behaviour goes
(approx_count_distinct, EXPLAIN ANALYZE counters, Hive-partition specifics),
with expected values written by hand.

Values are PostgreSQL's text output (COPY's text format) under the settings of
pg.py: NULL becomes `NULL`, the empty string `(empty)`, anything else is
written exactly as PostgreSQL prints it. No other normalisation is applied:
Basalt serves PostgreSQL clients, so Columnar.ValueText must print what
PostgreSQL prints (booleans t/f, timestamptz with +00 in UTC, numeric at its
scale, float8/float4 in the shortest round-trip form: 100 not 100.0,
1e+16 not 10000000000000000.0, Infinity/-Infinity/NaN, -0). A value holding a
tab or a newline cannot be written in this format and is reported as an error:
change the query.

This also regenerates Tests/EngineTests/SQLLogicTestFiles.swift (one XCTest
method per .test file).
"""
import argparse
import csv
import io
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import pg  # noqa: E402
import slt  # noqa: E402
import gen_xctests  # noqa: E402

SQLSTATE_RE = re.compile(r"^[0-9A-Z]{5}$")
SEPARATOR = "@@basalt-slt-separator@@"


def type_letter(pg_type):
    t = pg_type.lower()
    if t in ("smallint", "integer", "bigint"):
        return "I"
    if t in ("real", "double precision") or t.startswith("numeric"):
        return "R"
    if t == "boolean":
        return "B"
    if t == "date" or t.startswith("timestamp") or t.startswith("time"):
        return "D"
    return "T"


def unescape_copy(field):
    """A COPY text-format field as a Python string (None for \\N)."""
    if field == "\\N":
        return None
    if "\\" not in field:
        return field
    out, i = [], 0
    table = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            out.append(table.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def slt_value(v):
    if v is None:
        return "NULL"
    if v == "":
        return "(empty)"
    if "\t" in v or "\n" in v or "\r" in v:
        raise ValueError("value %r holds a tab or newline, which the format cannot express" % v)
    return v


def strip_semicolon(sql):
    s = sql.rstrip()
    while s.endswith(";"):
        s = s[:-1].rstrip()
    return s


def run_query(sql):
    """(types, rows) or raises QueryError((sqlstate, message, hint))."""
    body = strip_semicolon(sql)
    script = ("\\pset format csv\n\\pset tuples_only on\n%s\n\\gdesc\n\\echo %s\n"
              "COPY (\n%s\n) TO STDOUT;\n" % (body, SEPARATOR, body))
    p = pg.psql(pg.SCRATCH_DB, script)
    if p.returncode != 0:
        err = pg.parse_error(p.stderr)
        raise QueryError(err or (None, p.stderr.strip(), None))
    desc, _, data = p.stdout.partition(SEPARATOR + "\n")
    types = [type_letter(row[1]) for row in csv.reader(io.StringIO(desc)) if row]
    # COPY's text format ends every row with a newline, even a row whose only value is ''.
    lines = data.split("\n")
    if lines[-1] != "":
        raise QueryError((None, "unexpected psql output: %r" % data[-200:], None))
    rows = [[slt_value(unescape_copy(f)) for f in line.split("\t")] for line in lines[:-1]]
    return "".join(types), rows


def run_statement(sql):
    """None, or (sqlstate, message, hint) when PostgreSQL reports an error."""
    # No terminator added: psql sends what is left in its buffer at end of input,
    # so the server sees exactly the record's text ("SELECT 1 +" is a syntax
    # error "at end of input", as a client sending it would get).
    p = pg.psql(pg.SCRATCH_DB, sql.rstrip() + "\n")
    if p.returncode == 0:
        return None
    return pg.parse_error(p.stderr) or (None, p.stderr.strip(), None)


class QueryError(Exception):
    pass


def sort_key(row):
    return [v.encode("utf-8") for v in row]


def expected_block(record):
    """The new lines for one record (conditions, header, SQL, result)."""
    conds = ["%s %s" % c for c in record.conditions]
    if record.kind == "query":
        mode = None
        args = list(record.args)
        if args and args[-1] in ("nosort", "rowsort", "valuesort"):
            mode = args.pop()
        try:
            types, rows = run_query(record.sql_text)
        except QueryError as e:
            sqlstate, message, hint = e.args[0]
            raise Problem("query fails in PostgreSQL: %s %s%s" % (sqlstate, message, ("\nHINT:  " + hint) if hint else ""))
        except ValueError as e:
            raise Problem(str(e))
        if mode in ("rowsort", "valuesort"):
            rows.sort(key=sort_key)
        header = "query " + types + (" " + mode if mode else "")
        return conds + [header] + record.sql + ["----"] + ["\t".join(r) for r in rows]
    if record.kind == "statement" and record.args[0] == "ok":
        err = run_statement(record.sql_text)
        if err:
            raise Problem("statement fails in PostgreSQL: %s %s" % (err[0], err[1]))
        return conds + ["statement ok"] + record.sql
    if record.kind == "statement":
        err = run_statement(record.sql_text)
        if err is None:
            raise Problem("statement error: PostgreSQL runs it without error")
        sqlstate, message, hint = err
        custom = record.args[1:]
        if custom and not (len(custom) == 1 and SQLSTATE_RE.match(custom[0])):
            header = "statement error " + " ".join(custom)
        else:
            header = "statement error" + (" " + sqlstate if sqlstate else "")
        block = [message] + (["HINT:  " + hint] if hint else [])
        return conds + [header] + record.sql + ["----"] + block
    raise AssertionError(record.kind)


class Problem(Exception):
    pass


def process(path, check):
    text = path.read_text(encoding="utf-8")
    records, lines = slt.parse(text, str(path))
    pg.recreate_scratch()
    out, pos, problems, changed = [], 0, [], 0
    for r in records:
        out.extend(lines[pos:r.start])
        pos = r.end
        original = lines[r.start:r.end]
        if r.kind == "halt":
            if not r.runs_on("postgresql"):
                out.extend(original)
                continue
            out.extend(lines[r.start:])
            pos = len(lines)
            break
        if not r.runs_on("postgresql"):
            out.extend(original)
            continue
        try:
            block = expected_block(r)
        except Problem as e:
            problems.append("%s:%d: %s\n    %s" % (path.name, r.line, e, r.sql_text.replace("\n", "\n    ")))
            out.extend(original)
            continue
        if block != original:
            changed += 1
            if check:
                problems.append("%s:%d: differs from PostgreSQL\n  committed: %s\n  postgres:  %s"
                                % (path.name, r.line, "\n             ".join(original[-8:]),
                                   "\n             ".join(block[-8:])))
        out.extend(block)
    out.extend(lines[pos:])
    new_text = "\n".join(out) + "\n"
    if not check and new_text != text:
        path.write_text(new_text, encoding="utf-8")
    queries = sum(1 for r in records if r.kind == "query")
    statements = sum(1 for r in records if r.kind == "statement")
    return problems, changed, queries, statements


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="names or paths of .test files (default: all in Fixtures/sql)")
    ap.add_argument("--check", action="store_true", help="only report records whose results differ")
    args = ap.parse_args()
    pg.ensure_server()
    if not pg.fixture_loaded():
        raise SystemExit("database %s is missing: run tools/sqllogictest/load_postgres.py first" % pg.FIXTURE_DB)
    files = []
    for f in args.files or sorted(p.name for p in pg.SQL_DIR.glob("*.test")):
        p = pathlib.Path(f)
        files.append(p if p.exists() else pg.SQL_DIR / p.name)
    all_problems, total_q, total_s = [], 0, 0
    for path in files:
        problems, changed, q, s = process(path, args.check)
        total_q += q
        total_s += s
        all_problems.extend(problems)
        print("%-28s %4d queries %4d statements  %s" % (
            path.name, q, s, ("%d changed" % changed) if changed else "unchanged"))
    print("total: %d queries, %d statements in %d files" % (total_q, total_s, len(files)))
    if not args.check:
        gen_xctests.main()
    if all_problems:
        print("\n".join(all_problems), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
