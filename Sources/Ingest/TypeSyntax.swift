import Columnar

/// Type names as users write them in `--type col=TYPE` and `--schema FILE`,
/// in SQL spelling or Basalt's own (what `DataType.description` prints, so a
/// recorded schema parses back): `bigint`/`int64`, `integer`/`int32`,
/// `decimal(12,2)`, `double`, `boolean`, `date`, `timestamp`, `timestamptz`,
/// `varchar`/`string`, `list<T>`, `struct<a: T, b: U>`.
public enum TypeSyntax {
    public static func parse(_ text: String) throws(IngestError) -> DataType {
        var p = Parser(text: Array(text.utf8), original: text)
        let type = try p.type()
        p.skipSpaces()
        guard p.atEnd else { throw IngestError(.usage, "unexpected text after the type in '\(text)'") }
        return type
    }

    private struct Parser {
        let text: [UInt8]
        let original: String
        var i = 0
        var depth = 0

        var atEnd: Bool { i >= text.count }

        mutating func skipSpaces() { while i < text.count && (text[i] == 32 || text[i] == 9) { i += 1 } }

        mutating func word() -> String {
            skipSpaces()
            let start = i
            while i < text.count, text[i] == 95 || (text[i] | 0x20 >= 97 && text[i] | 0x20 <= 122) || (text[i] >= 48 && text[i] <= 57) { i += 1 }
            return String(decoding: text[start..<i], as: UTF8.self).lowercased()
        }

        mutating func eat(_ c: Character) -> Bool {
            skipSpaces()
            if i < text.count && text[i] == c.asciiValue! { i += 1; return true }
            return false
        }

        mutating func expect(_ c: Character) throws(IngestError) {
            guard eat(c) else { throw IngestError(.usage, "expected '\(c)' in type '\(original)'") }
        }

        mutating func integer() throws(IngestError) -> Int {
            let w = word()
            guard let n = Int(w), n >= 0, n < 1_000_000 else { throw IngestError(.usage, "expected a number in type '\(original)'") }
            return n
        }

        mutating func type() throws(IngestError) -> DataType {
            depth += 1
            defer { depth -= 1 }
            guard depth < 32 else { throw IngestError(.usage, "type '\(original)' is nested too deeply") }
            var name = word()
            // Two-word SQL names.
            if name == "double" { let save = i; if word() != "precision" { i = save } }
            if name == "character" || name == "char" { let save = i; if word() == "varying" { name = "varchar" } else { i = save } }
            switch name {
            case "boolean", "bool": return .boolean
            case "tinyint", "int8": return .int8
            case "smallint", "int16", "int2": return .int16
            case "integer", "int", "int32", "int4": return .int32
            case "bigint", "int64": return .int64
            case "uint8", "utinyint": return .uint8
            case "uint16", "usmallint": return .uint16
            case "uint32", "uinteger": return .uint32
            case "uint64", "ubigint": return .uint64
            case "real", "float32", "float4": return .float32
            case "double", "float64", "float8", "float": return .float64
            case "decimal", "numeric":
                guard eat("(") else { return .decimal(precision: 18, scale: 3) }
                let p = try integer()
                var s = 0
                if eat(",") { s = try integer() }
                try expect(")")
                guard p >= 1 && p <= 38 && s <= p else {
                    throw IngestError(.usage, "decimal(\(p),\(s)) in '\(original)': precision must be 1..38 and scale at most the precision")
                }
                return .decimal(precision: p, scale: s)
            case "varchar", "text", "string", "char", "bpchar":
                if eat("(") { _ = try integer(); try expect(")") }
                return .string
            case "binary", "blob", "bytea", "varbinary": return .binary
            case "date": return .date32
            case "timestamp", "datetime":
                var unit = TimeUnit.microsecond
                if eat("(") { unit = try timeUnit(); try expect(")") }
                if skipWords(["with", "time", "zone"]) { return .timestamp(unit, utc: true) }
                _ = skipWords(["without", "time", "zone"])
                return .timestamp(unit, utc: false)
            case "timestamptz":
                var unit = TimeUnit.microsecond
                if eat("(") { unit = try timeUnit(); try expect(")") }
                return .timestamp(unit, utc: true)
            case "time":
                var unit = TimeUnit.microsecond
                if eat("(") { unit = try timeUnit(); try expect(")") }
                return .time(unit)
            case "list", "array":
                try expect("<")
                let element = try type()
                try expect(">")
                return .list(Field("element", element))
            case "struct":
                try expect("<")
                var fields: [Field] = []
                repeat {
                    let fieldName = word()
                    guard !fieldName.isEmpty else { throw IngestError(.usage, "expected a field name in type '\(original)'") }
                    _ = eat(":")
                    fields.append(Field(fieldName, try type()))
                } while eat(",")
                try expect(">")
                return .structure(fields)
            case "map":
                try expect("<")
                let key = try type()
                try expect(",")
                let value = try type()
                try expect(">")
                return .map(key: Field("key", key, nullable: false), value: Field("value", value))
            default:
                throw IngestError(.usage, "unknown type '\(original)' (try bigint, integer, decimal(p,s), double, boolean, date, timestamp, timestamptz, varchar)")
            }
        }

        mutating func timeUnit() throws(IngestError) -> TimeUnit {
            switch word() {
            case "millisecond", "ms", "3": return .millisecond
            case "microsecond", "us", "6": return .microsecond
            case "nanosecond", "ns", "9": return .nanosecond
            default: throw IngestError(.usage, "unknown time unit in '\(original)' (millisecond, microsecond or nanosecond)")
            }
        }

        mutating func skipWords(_ words: [String]) -> Bool {
            let save = i
            for w in words where word() != w { i = save; return false }
            return true
        }
    }
}
