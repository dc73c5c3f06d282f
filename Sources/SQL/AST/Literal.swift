/// A constant as written. Numbers keep their text so the binder can choose the
/// type (integer, bigint, numeric) without losing digits.
public enum Literal: Sendable, Equatable {
    case null
    case boolean(Bool)
    /// Digits only, no sign (the sign is a unary minus): `42`, `9223372036854775808`.
    case integer(String)
    /// With a point or an exponent: `1.5`, `.5`, `1e10`. PostgreSQL types `1.5` numeric and `1e10` numeric too.
    case decimal(String)
    /// `'text'`, `E'...'` (escapes processed), `$$...$$`; the value after unescaping.
    case string(String)
    /// `type 'text'`: `DATE '1998-12-01'`, `TIMESTAMP '...'`, `TIMESTAMPTZ '...'`, `NUMERIC '1.5'`.
    case typed(TypeName, String)
    /// `INTERVAL '3 days'`, `INTERVAL '3' DAY`, `INTERVAL '1-2' YEAR TO MONTH`: the text and the optional
    /// qualifier as written in lower case ("day", "year to month").
    case interval(String, qualifier: String?)
}

/// A type as written in CAST, `::`, column definitions and typed literals, with
/// PostgreSQL's synonyms normalized: `int`/`int4` → "integer", `int8` → "bigint",
/// `int2` → "smallint", `float4` → "real", `float8`/`double precision`/`float` → "double precision",
/// `decimal` → "numeric", `varchar`/`character varying` → "varchar", `char`/`character` → "char",
/// `bool` → "boolean", `timestamp with time zone` → "timestamptz",
/// `timestamp [without time zone]` → "timestamp", `time [without time zone]` → "time", `bytea`, `text`,
/// `date`, `interval`, `json`, `jsonb`, `uuid`. Unknown names are kept as written (lower case).
/// Also: `float(p)` → "real" (p ≤ 24) or "double precision"; `time with time zone` → "timetz";
/// `bit varying` → "varbit"; `pg_catalog.` is dropped, other schemas kept ("s.mytype"); an interval
/// field qualifier stays in the name ("interval day to second", "interval second(3)").
public struct TypeName: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// `numeric(12, 2)` → [12, 2]; `varchar(20)` → [20].
    public var modifiers: [Int]
    /// `integer[]`.
    public var isArray: Bool

    public init(_ name: String, modifiers: [Int] = [], isArray: Bool = false) {
        self.name = name
        self.modifiers = modifiers
        self.isArray = isArray
    }

    public var description: String {
        var text = name
        if !modifiers.isEmpty { text += "(" + modifiers.map(String.init).joined(separator: ",") + ")" }
        if isArray { text += "[]" }
        return text
    }
}
