import Columnar

/// Hive-style partition directories: `key=value/` components between a
/// table's directory and its files (`year=2024/month=3/part-0.parquet`).
///
/// Keys and values are percent-escaped the way Hive and Spark write them
/// (`%2F` for '/', `%3D` for '=', ...); `__HIVE_DEFAULT_PARTITION__` stands
/// for NULL. A key's type is inferred over all of its values: `int32` when
/// every value is an integer that fits 32 bits, `int64` when every value is an
/// integer, `date32` when every value is `YYYY-MM-DD`, else `string`.
enum HivePartitioning {
    static let defaultPartition = "__HIVE_DEFAULT_PARTITION__"

    /// The key and raw (unescaped) value of a `key=value` component; nil when
    /// the component has no '=' or an empty key. The value is nil for NULL.
    static func parse(_ component: String) -> (key: String, value: String?)? {
        guard let eq = component.firstIndex(of: "=") else { return nil }
        let key = unescape(String(component[..<eq]))
        guard !key.isEmpty else { return nil }
        let raw = String(component[component.index(after: eq)...])
        if raw == defaultPartition || raw.isEmpty { return (key, nil) }
        return (key, unescape(raw))
    }

    /// Decodes `%XX` escapes (bytes, so escaped UTF-8 sequences come back
    /// whole). A '%' not followed by two hex digits stays as it is.
    static func unescape(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        let u = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count,
               let hi = hexValue(u[i + 1]), let lo = hexValue(u[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(u[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: nil
        }
    }

    /// The type of a key over its non-null values (`string` when all are NULL).
    static func inferType(_ values: [String?]) -> DataType {
        let present = values.compactMap { $0 }
        guard !present.isEmpty else { return .string }
        let integers = present.map(parseInteger)
        if integers.allSatisfy({ $0 != nil }) {
            let fits32 = integers.allSatisfy { Int64(Int32.min)...Int64(Int32.max) ~= $0! }
            return fits32 ? .int32 : .int64
        }
        if present.allSatisfy({ CivilDate(iso: $0) != nil }) { return .date32 }
        return .string
    }

    /// The typed value of a raw value under the key's inferred type.
    static func value(_ raw: String?, as type: DataType) -> PartitionValue {
        guard let raw else { return .null }
        switch type {
        case .int32, .int64:
            if let v = parseInteger(raw) { return .int(v) }
        case .date32:
            if let d = CivilDate(iso: raw) { return .date(d.days) }
        default:
            break
        }
        return .string(raw)
    }

    /// An optionally signed run of decimal digits that fits Int64.
    static func parseInteger(_ text: String) -> Int64? {
        let u = text.utf8
        guard let first = u.first else { return nil }
        let digits = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") ? u.dropFirst() : u[...]
        guard !digits.isEmpty, digits.count <= 19, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(text)
    }
}
