"""The sqllogictest format as Basalt uses it (the Python twin of
Tests/EngineTests/SQLLogicTest.swift; Fixtures/sql/README.md is the reference).

A file is records separated by empty lines (a line holding only spaces is a
value inside a record, and skipped between records); `#` lines between records
are comments. A record is optional condition lines (`skipif ENGINE`,
`onlyif ENGINE`), then one of

    statement ok                      the SQL must run without error
    statement error [SQLSTATE|regex]  the SQL must fail; an optional `----`
                                      block holds the expected message (and
                                      an optional `HINT:  ...` line)
    query TYPES [nosort|rowsort|valuesort]
                                      SQL, `----`, then one line per row with
                                      tab-separated values (NULL as `NULL`, ''
                                      as `(empty)`)
    halt                              stop reading the file (with conditions:
                                      stop there for those engines only)

This module parses a file into records while keeping every line, so that
expect.py can rewrite the result blocks and leave the rest untouched.
"""
import dataclasses

ENGINE_NAMES = ("basalt", "postgresql")


class FormatError(Exception):
    pass


@dataclasses.dataclass
class Record:
    line: int                 # 1-based line of the header
    conditions: list          # [(kind, engine)]
    kind: str                 # statement | query | halt
    args: list                # header words after the kind
    sql: list                 # SQL lines
    has_result: bool          # a `----` line was present
    result: list              # lines after `----`
    start: int = 0            # index of the first line (conditions included)
    end: int = 0              # index one past the last line

    @property
    def sql_text(self):
        return "\n".join(self.sql)

    def runs_on(self, engine):
        for kind, name in self.conditions:
            if kind == "onlyif" and name != engine:
                return False
            if kind == "skipif" and name == engine:
                return False
        return True


def parse(text, path="<text>"):
    """[Record] of a .test file's text; raises FormatError naming path:line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]
    records, i, n = [], 0, len(lines)

    def fail(at, why):
        raise FormatError("%s:%d: %s" % (path, at + 1, why))

    while i < n:
        line = lines[i]
        if not line.strip() or line.startswith("#"):
            i += 1
            continue
        start, conditions = i, []
        while i < n and lines[i].split()[:1] and lines[i].split()[0] in ("skipif", "onlyif"):
            words = lines[i].split()
            if len(words) != 2:
                fail(i, "expected `%s ENGINE`" % words[0])
            conditions.append((words[0], words[1]))
            i += 1
        if i >= n or not lines[i].strip():
            fail(i - 1, "condition without a record")
        words = lines[i].split()
        header = i
        kind, args = words[0], words[1:]
        i += 1
        if kind == "halt":
            records.append(Record(header + 1, conditions, "halt", args, [], False, [], start, i))
            if not conditions:      # an unconditional halt ends the file: the rest is not parsed
                break
            continue
        if kind == "statement":
            if not args or args[0] not in ("ok", "error"):
                fail(header, "expected `statement ok` or `statement error`")
            if args[0] == "ok" and len(args) > 1:
                fail(header, "`statement ok` takes no argument")
        elif kind == "query":
            if len(args) > 2 or (len(args) == 2 and args[1] not in ("nosort", "rowsort", "valuesort")):
                fail(header, "expected `query TYPES [nosort|rowsort|valuesort]`")
        else:
            fail(header, "unknown record type %r" % kind)
        sql = []
        while i < n and lines[i] != "" and lines[i] != "----":
            sql.append(lines[i])
            i += 1
        if not sql:
            fail(header, "record without SQL")
        has_result, result = False, []
        if i < n and lines[i] == "----":
            if kind == "statement" and args[0] == "ok":
                fail(i, "`statement ok` has no `----` block")
            has_result = True
            i += 1
            while i < n and lines[i] != "":      # only an empty line ends a record:
                result.append(lines[i])           # " " is a one-space value
                i += 1
        records.append(Record(header + 1, conditions, kind, args, sql, has_result, result, start, i))
    return records, lines
