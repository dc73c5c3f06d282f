import Columnar
import Lake

/// Decides the table's columns: for a new table, the inputs' inferred
/// columns united by name (types widened: bigint + decimal → decimal, numbers
/// + double → double, date + timestamp → timestamp, anything else → varchar),
/// then `--type` overrides, or exactly a `--schema` file; for an existing
/// table, its columns, plus the inputs' new columns only with `--allow-new-columns`.
enum SchemaResolution {
    static func widen(_ a: DataType, _ b: DataType) -> DataType {
        if a == b { return a }
        switch (a, b) {
        case (.int64, .decimal(let p, let s)), (.decimal(let p, let s), .int64):
            return .decimal(precision: min(38, max(p, 19 + s)), scale: s)
        case let (.decimal(p1, s1), .decimal(p2, s2)):
            let scale = max(s1, s2)
            let integer = max(p1 - s1, p2 - s2)
            return integer + scale <= 38 ? .decimal(precision: integer + scale, scale: scale) : .float64
        case (.int64, .float64), (.float64, .int64), (.decimal, .float64), (.float64, .decimal): return .float64
        case (.date32, .timestamp(let u, let utc)), (.timestamp(let u, let utc), .date32): return .timestamp(u, utc: utc)
        default: return .string
        }
    }

    /// Fields of a new table from the inputs (first-seen order), then overrides.
    static func newTable(_ inputs: [PreparedInput], options: IngestOptions) throws(IngestError) -> [Field] {
        if let schemaFile = options.schemaFile { return try readSchemaFile(schemaFile) }
        var fields: [Field] = []
        var index: [String: Int] = [:]
        var valueSeen: [Bool] = []
        for input in inputs {
            for field in input.inferredFields {
                let key = field.name.lowercased()
                if let i = index[key] {
                    fields[i].type = widen(fields[i].type, field.type)
                } else {
                    index[key] = fields.count
                    fields.append(Field(field.name, field.type))
                    valueSeen.append(true)
                }
            }
        }
        for (column, typeText) in options.types {
            let type = try TypeSyntax.parse(typeText)
            guard let i = index[column.lowercased()] else {
                throw IngestError(.usage, "--type \(column)=\(typeText): the input has no column '\(column)' (columns: \(fields.map(\.name).joined(separator: ", ")))")
            }
            fields[i].type = type
        }
        return fields
    }

    /// `name type` per line; '#' starts a comment; "name type not null" marks required columns.
    static func readSchemaFile(_ path: String) throws(IngestError) -> [Field] {
        let bytes = try readWholeFile(path)
        var fields: [Field] = []
        for (n, rawLine) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(rawLine)
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            line = line.trimmingSpaces.replacingTabs
            if line.isEmpty { continue }
            var name: String
            var rest: Substring
            if line.hasPrefix("\"") {
                guard let close = line.dropFirst().firstIndex(of: "\"") else { throw IngestError(.usage, "\(path):\(n + 1): unterminated quoted column name") }
                name = String(line[line.index(after: line.startIndex)..<close])
                rest = line[line.index(after: close)...]
            } else {
                guard let space = line.firstIndex(of: " ") else { throw IngestError(.usage, "\(path):\(n + 1): expected 'name type'") }
                name = String(line[..<space])
                rest = line[space...]
            }
            var typeText = rest.trimmingSpaces
            var nullable = true
            if typeText.lowercased().hasSuffix(" not null") { typeText = String(typeText.dropLast(9)).trimmingSpaces; nullable = false }
            do {
                fields.append(Field(name, try TypeSyntax.parse(typeText), nullable: nullable))
            } catch {
                throw IngestError(.usage, "\(path):\(n + 1): \(error.message)")
            }
            name = ""
        }
        guard !fields.isEmpty else { throw IngestError(.usage, "schema file \(path) declares no column") }
        return fields
    }

    static func readWholeFile(_ path: String) throws(IngestError) -> [UInt8] {
        let input = try FileInput(path: path)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = try buffer.withMutableBytes { (b) throws(IngestError) -> Int in try input.read(into: b) }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
            guard out.count < 16 << 20 else { throw IngestError(.usage, "\(path) is too large for a schema file") }
        }
        return out
    }
}

extension String {
    var replacingTabs: String { String(map { $0 == "\t" ? " " : $0 }) }
}
