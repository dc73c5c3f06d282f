import Columnar

/// The inferred shape of JSON values seen at one place of the documents
/// (a top-level member, a struct field, list elements), merged over a sample.
final class JSONGuess {
    private var sawBool = false, sawInt = false, sawFraction = false, sawString = false
    private var sawArray = false, sawObject = false
    /// Dates and timestamps in strings (the only text types JSON strings are narrowed to).
    private var strings = TypeGuess()
    private var element: JSONGuess?
    private(set) var members: [(name: String, guess: JSONGuess)] = []
    private var memberIndex: [String: Int] = [:]

    func observe(_ value: JSONValue) {
        switch value {
        case .null: break
        case .bool: sawBool = true
        case let .number(_, integral): if integral { sawInt = true } else { sawFraction = true }
        case let .string(bytes):
            sawString = true
            bytes.withUnsafeBytes { strings.observe($0) }
        case let .array(elements):
            sawArray = true
            let e = element ?? JSONGuess()
            element = e
            for v in elements { e.observe(v) }
        case let .object(ms):
            sawObject = true
            for m in ms { member(m.key).observe(m.value) }
        }
    }

    func member(_ name: String) -> JSONGuess {
        if let i = memberIndex[name] { return members[i].guess }
        let g = JSONGuess()
        memberIndex[name] = members.count
        members.append((name, g))
        return g
    }

    var isObjectOnly: Bool { sawObject && !sawBool && !sawInt && !sawFraction && !sawString && !sawArray }

    /// The column type for these values: one kind (besides null) maps to its
    /// type; integers with fractions to double; anything mixed to varchar
    /// (holding each value's JSON text).
    var type: DataType {
        let kinds = [sawBool, sawInt || sawFraction, sawString, sawArray, sawObject].filter { $0 }.count
        if kinds == 0 { return .string }
        if kinds > 1 { return .string }
        if sawBool { return .boolean }
        if sawInt || sawFraction { return sawFraction ? .float64 : .int64 }
        if sawString {
            switch strings.type {
            case .date32 where strings.canDate: return .date32
            case let .timestamp(u, utc): return .timestamp(u, utc: utc)
            default: return .string
            }
        }
        if sawArray { return .list(Field("element", element?.type ?? .string)) }
        return .structure(members.map { Field($0.name, $0.guess.type) })
    }
}

/// Appends JSON values to column buffers of a given type.
enum JSONConverter {
    /// Appends `value` as `type`; returns why not when it does not fit.
    static func append(_ value: JSONValue, type: DataType, to buffer: ColumnBuffer) -> String? {
        if case .null = value { buffer.appendNull(); return nil }
        switch type {
        case .string:
            if case let .string(bytes) = value { buffer.appendBytes(bytes) } else { buffer.appendBytes(text(value)) }
            return nil
        case .list(let element):
            guard case let .array(elements) = value else { return "expected an array, found \(value.kindName)" }
            let child = buffer.children[0]
            let before = child.count
            for e in elements {
                if let reason = append(e, type: element.type, to: child) {
                    child.truncate(to: before)
                    return "element: " + reason
                }
            }
            buffer.closeList()
            return nil
        case .map(_, let valueField):
            guard case let .object(ms) = value else { return "expected an object, found \(value.kindName)" }
            let entries = buffer.children[0]
            let before = entries.count
            for m in ms {
                entries.children[0].appendBytes(Array(m.key.utf8))
                if let reason = append(m.value, type: valueField.type, to: entries.children[1]) {
                    entries.children[0].removeLast()
                    entries.truncate(to: before)
                    return "'\(m.key)': " + reason
                }
                entries.closeStruct()
            }
            buffer.closeList()
            return nil
        case .structure(let fields):
            guard case let .object(ms) = value else { return "expected an object, found \(value.kindName)" }
            var byName: [String: JSONValue] = [:]
            for m in ms { byName[m.key] = m.value }
            for (k, field) in fields.enumerated() {
                if let reason = append(byName[field.name] ?? .null, type: field.type, to: buffer.children[k]) {
                    for j in 0..<k { buffer.children[j].removeLast() }
                    return "'\(field.name)': " + reason
                }
            }
            buffer.closeStruct()
            return nil
        default:
            return scalar(value, type: type, to: buffer)
        }
    }

    private static func scalar(_ value: JSONValue, type: DataType, to buffer: ColumnBuffer) -> String? {
        let converter: TextConverter
        do { converter = try TextConverter(type: type) } catch { return error.message }
        switch (value, type) {
        case let (.bool(b), .boolean):
            buffer.appendBool(b)
            return nil
        case let (.number(text, _), _):
            if case .boolean = type { return "expected a boolean, found a number" }
            if case .date32 = type { return "expected a date string, found a number" }
            return text.withUnsafeBytes { converter.append($0, to: buffer, asciiBlock: true) }
        case let (.string(bytes), _):
            return bytes.withUnsafeBytes { converter.append($0, to: buffer, asciiBlock: true) }
        default:
            return "expected \(TextConverter.sqlName(type)), found \(value.kindName)"
        }
    }

    /// The value as JSON text (for varchar columns holding non-string values).
    static func text(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, to: &out)
        return out
    }

    private static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case let .number(text, _): out.append(contentsOf: text)
        case let .string(bytes): writeString(bytes, to: &out)
        case let .array(elements):
            out.append(91)
            for (k, e) in elements.enumerated() {
                if k > 0 { out.append(44) }
                write(e, to: &out)
            }
            out.append(93)
        case let .object(ms):
            out.append(123)
            for (k, m) in ms.enumerated() {
                if k > 0 { out.append(44) }
                writeString(Array(m.key.utf8), to: &out)
                out.append(58)
                write(m.value, to: &out)
            }
            out.append(125)
        }
    }

    private static func writeString(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.append(34)
        let hex = Array("0123456789abcdef".utf8)
        for c in bytes {
            switch c {
            case 34: out.append(contentsOf: [92, 34])
            case 92: out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, 110])
            case 13: out.append(contentsOf: [92, 114])
            case 9: out.append(contentsOf: [92, 116])
            case 0..<32: out.append(contentsOf: [92, 117, 48, 48, hex[Int(c >> 4)], hex[Int(c & 15)]])
            default: out.append(c)
            }
        }
        out.append(34)
    }
}
