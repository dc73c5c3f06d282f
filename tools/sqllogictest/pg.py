"""Talking to the local PostgreSQL that serves as the reference for Basalt's SQL
dialect. Only `psql` is used (it comes with Debian's postgresql package), so
the scripts need no Python driver.

Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER) when set;
otherwise the local Debian cluster over its Unix socket, started (and given a
superuser role for the current OS user) by tools/sqllogictest/postgres.sh.

Every session runs with the settings Basalt's output is compared under:
TimeZone UTC (timestamptz prints with "+00", as Columnar.ValueText does),
ISO dates, the `postgres` interval style, extra_float_digits 1 (PostgreSQL's
default: shortest round-trip float text) and English messages.
"""
import os
import pathlib
import subprocess

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
LAKE = REPO / "Fixtures" / "lake"
SQL_DIR = REPO / "Fixtures" / "sql"

FIXTURE_DB = "basalt_fixtures"   # the fixture lake, loaded once by load_postgres.py
SCRATCH_DB = "basalt_slt"        # a fresh copy of FIXTURE_DB for each .test file

SESSION_OPTIONS = " ".join("-c %s=%s" % kv for kv in [
    ("TimeZone", "UTC"),
    ("DateStyle", "ISO,MDY"),
    ("IntervalStyle", "postgres"),
    ("extra_float_digits", "1"),
    ("lc_messages", "C"),
    ("client_min_messages", "warning"),
    ("statement_timeout", "60s"),
])


def env():
    e = dict(os.environ)
    e["PGOPTIONS"] = SESSION_OPTIONS
    e.setdefault("PGAPPNAME", "basalt-sqllogictest")
    e["PSQLRC"] = "/dev/null"
    return e


def ready():
    """True when the server accepts connections."""
    p = subprocess.run(["pg_isready", "-q", "-d", "postgres"], env=env())
    return p.returncode == 0


def ensure_server():
    """Starts the local cluster through postgres.sh unless a server already answers."""
    if ready():
        return
    subprocess.run(["bash", str(HERE / "postgres.sh")], check=True)
    if not ready():
        raise SystemExit("PostgreSQL does not answer (see tools/sqllogictest/postgres.sh)")


def psql(database, script, check=False):
    """Runs a psql script (text on stdin) in `database`; returns the CompletedProcess
    (stdout/stderr as str). psql stops at the first error (ON_ERROR_STOP) and
    reports it in verbose form: `ERROR:  <SQLSTATE>: <message>`, then `HINT:  ...`."""
    text = "\\set ON_ERROR_STOP on\n\\set VERBOSITY verbose\n" + script
    p = subprocess.run(["psql", "-X", "-q", "-d", database, "-f", "-"], input=text, env=env(),
                       capture_output=True, text=True)
    if check and p.returncode != 0:
        raise SystemExit("psql failed in database %s:\n%s" % (database, p.stderr.strip()))
    return p


def parse_error(stderr):
    """(sqlstate, message, hint) from psql's verbose error output, or None."""
    sqlstate = message = hint = None
    for line in stderr.splitlines():
        if message is None:
            at = line.find("ERROR:  ")
            if at < 0:
                continue
            rest = line[at + len("ERROR:  "):]
            if len(rest) > 7 and rest[5:7] == ": " and rest[:5].isalnum():
                sqlstate, message = rest[:5], rest[7:]
            else:
                message = rest
        elif line.startswith("HINT:  "):
            hint = line[len("HINT:  "):]
    if message is None:
        return None
    return sqlstate, message, hint


def quote_ident(name):
    return '"' + name.replace('"', '""') + '"'


def recreate_scratch():
    """SCRATCH_DB as a fresh copy of the fixture database."""
    psql("postgres", "DROP DATABASE IF EXISTS %s;\nCREATE DATABASE %s TEMPLATE %s;\n"
         % (SCRATCH_DB, SCRATCH_DB, FIXTURE_DB), check=True)


def fixture_loaded():
    p = psql("postgres", "\\pset tuples_only on\n\\pset format unaligned\n"
             "SELECT count(*) FROM pg_database WHERE datname = '%s';\n" % FIXTURE_DB)
    return p.returncode == 0 and p.stdout.strip() == "1"
