import Columnar

/// Assigns each row of a chunk to its partition: evaluates the partition keys
/// on the key columns, gives each distinct key value a small code per key and
/// each distinct combination of codes a partition number, whose directory
/// path (`year=2024/month=3`) it remembers. Consecutive rows usually share
/// their keys, so each key first compares with the previous row's value.
final class PartitionAssigner {
    let keys: [PartitionKey]
    /// Per key, the table column it reads.
    private let sources: [Int]
    private let sourceTypes: [DataType]
    /// Per key: code → escaped directory value; value → code.
    private var valueText: [[String]]
    private var intCodes: [[Int64: Int32]]
    private var bytesCodes: [[[UInt8]: Int32]]
    private var nullCode: [Int32?]
    /// Code combination → partition number; partition number → relative directory.
    private var partitionOfCodes: [[Int32]: Int32] = [:]
    private(set) var paths: [String] = []
    static let maxPartitions = 100_000

    init(keys: [PartitionKey], fields: [Field]) throws(IngestError) {
        self.keys = keys
        var sources: [Int] = []
        for key in keys {
            guard !key.name.isEmpty, !key.name.hasPrefix("_"), !key.name.hasPrefix("."), !key.name.contains("/"), !key.name.contains("=") else {
                throw IngestError(.usage, "partition key name '\(key.name)' cannot name a directory (no '/', '=', and no leading '_' or '.')")
            }
            guard let i = fields.firstIndex(where: { $0.name == key.column }) ?? fields.firstIndex(where: { $0.name.lowercased() == key.column.lowercased() }) else {
                throw IngestError(.usage, "partition key \(key): there is no column '\(key.column)' (columns: \(fields.map(\.name).joined(separator: ", ")))")
            }
            try key.check(fields[i].type)
            sources.append(i)
        }
        self.sources = sources
        sourceTypes = sources.map { fields[$0].type }
        valueText = Array(repeating: [], count: keys.count)
        intCodes = Array(repeating: [:], count: keys.count)
        bytesCodes = Array(repeating: [:], count: keys.count)
        nullCode = Array(repeating: nil, count: keys.count)
    }

    /// Table column indices the keys read.
    var sourceColumns: [Int] { sources }

    /// The partition number of every row of `columns` (nil when there are no keys: one partition).
    func assign(_ columns: [ColumnBuffer], rows: Int) throws(IngestError) -> [Int32]? {
        guard !keys.isEmpty else {
            if paths.isEmpty { paths = [""] }
            return nil
        }
        var codes = [[Int32]](repeating: [], count: keys.count)
        for k in keys.indices { codes[k] = try keyCodes(k, columns[sources[k]], rows: rows) }
        var out = [Int32](repeating: 0, count: rows)
        var combination = [Int32](repeating: -1, count: keys.count)
        var last: Int32 = -1
        for r in 0..<rows {
            var same = last >= 0
            for k in keys.indices where codes[k][r] != combination[k] {
                combination[k] = codes[k][r]
                same = false
            }
            if !same {
                if let p = partitionOfCodes[combination] {
                    last = p
                } else {
                    guard paths.count < Self.maxPartitions else {
                        throw IngestError(.usage, "more than \(Self.maxPartitions) partitions: choose coarser partition keys")
                    }
                    last = Int32(paths.count)
                    partitionOfCodes[combination] = last
                    paths.append(keys.indices.map { "\(keys[$0].name)=\(valueText[$0][Int(combination[$0])])" }.joined(separator: "/"))
                }
            }
            out[r] = last
        }
        return out
    }

    private func code(_ k: Int, int value: Int64, text: () -> String) -> Int32 {
        if let c = intCodes[k][value] { return c }
        let c = Int32(valueText[k].count)
        valueText[k].append(Self.escape(text()))
        intCodes[k][value] = c
        return c
    }

    private func code(_ k: Int, bytes: ArraySlice<UInt8>) -> Int32 {
        let key = Array(bytes)
        if let c = bytesCodes[k][key] { return c }
        let c = Int32(valueText[k].count)
        let text = key.isEmpty ? Self.defaultPartition : Self.escape(String(decoding: key, as: UTF8.self))
        valueText[k].append(text)
        bytesCodes[k][key] = c
        return c
    }

    private func nullValueCode(_ k: Int) -> Int32 {
        if let c = nullCode[k] { return c }
        let c = Int32(valueText[k].count)
        valueText[k].append(Self.defaultPartition)
        nullCode[k] = c
        return c
    }

    /// One key's code for every row.
    private func keyCodes(_ k: Int, _ column: ColumnBuffer, rows: Int) throws(IngestError) -> [Int32] {
        let key = keys[k]
        var out = [Int32](repeating: 0, count: rows)
        let type = sourceTypes[k]
        let hasNulls = !column.valid.isEmpty
        switch column.physical {
        case .i32, .i64, .boolean:
            var lastRaw: Int64 = 0
            var lastCode: Int32 = -1
            for r in 0..<rows {
                if hasNulls && column.valid[r] == 0 { out[r] = nullValueCode(k); continue }
                let raw: Int64
                switch column.physical {
                case .i32: raw = Int64(column.i32[r])
                case .i64: raw = column.i64[r]
                default: raw = Int64(column.u8[r])
                }
                if raw == lastRaw && lastCode >= 0 { out[r] = lastCode; continue }
                let derived = Self.derive(raw, type: type, transform: key.transform)
                lastCode = code(k, int: derived) { Self.text(derived, type: type, transform: key.transform) }
                lastRaw = raw
                out[r] = lastCode
            }
        case .bytes, .fixed:
            var lastCode: Int32 = -1
            var lastRow = -1
            for r in 0..<rows {
                if hasNulls && column.valid[r] == 0 { out[r] = nullValueCode(k); continue }
                let bytes = column.bytes(r)
                if lastCode >= 0 && column.bytes(lastRow) == bytes { out[r] = lastCode; continue }
                if case let .bucket(n) = key.transform {
                    let b = Int64(Self.hash(bytes) % UInt64(n))
                    lastCode = code(k, int: b) { String(b) }
                } else {
                    lastCode = code(k, bytes: bytes)
                }
                lastRow = r
                out[r] = lastCode
            }
        case .i128:
            for r in 0..<rows {
                if hasNulls && column.valid[r] == 0 { out[r] = nullValueCode(k); continue }
                let v = column.i128[r]
                if case let .bucket(n) = key.transform {
                    let b = Int64(Self.mix(UInt64(truncatingIfNeeded: v) ^ Self.mix(UInt64(truncatingIfNeeded: v >> 64))) % UInt64(n))
                    out[r] = code(k, int: b) { String(b) }
                } else {
                    out[r] = code(k, bytes: ArraySlice(Array(Self.decimalText(v, type: type).utf8)))
                }
            }
        case .f64:
            guard case let .bucket(n) = key.transform else {
                throw IngestError(.usage, "partition key \(key): floating-point values do not make good directory names")
            }
            for r in 0..<rows {
                if hasNulls && column.valid[r] == 0 { out[r] = nullValueCode(k); continue }
                let b = Int64(Self.mix(column.f64[r].bitPattern) % UInt64(n))
                out[r] = code(k, int: b) { String(b) }
            }
        case .list, .structure:
            throw IngestError(.usage, "partition key \(key): nested columns cannot be partition keys")
        }
        return out
    }

    // MARK: values

    /// The key's value for a raw integer-backed value (days, ticks, integers).
    static func derive(_ raw: Int64, type: DataType, transform: PartitionKey.Transform) -> Int64 {
        switch transform {
        case .identity: return raw
        case let .bucket(n): return Int64(mix(UInt64(bitPattern: raw)) % UInt64(n))
        case .year, .month, .day, .date:
            let days = Self.days(raw, type: type)
            if transform == .date { return days }
            let (y, m, d) = civil(days)
            return transform == .year ? y : transform == .month ? m : d
        }
    }

    static func days(_ raw: Int64, type: DataType) -> Int64 {
        if case let .timestamp(unit, _) = type {
            let perDay = 86_400 * unit.perSecond
            return raw >= 0 ? raw / perDay : -((-raw + perDay - 1) / perDay)
        }
        return raw
    }

    static func text(_ value: Int64, type: DataType, transform: PartitionKey.Transform) -> String {
        switch transform {
        case .date: return isoDate(value)
        case .identity:
            switch type {
            case .date32: return isoDate(value)
            case .boolean: return value != 0 ? "true" : "false"
            case .decimal: return decimalText(Int128(value), type: type)
            case let .timestamp(unit, _):
                let days = Self.days(value, type: type)
                var rest = value - days * 86_400 * unit.perSecond
                let seconds = rest / unit.perSecond
                rest -= seconds * unit.perSecond
                func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
                var t = "\(isoDate(days)) \(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
                if rest > 0 {
                    var frac = String(rest)
                    frac = String(repeating: "0", count: String(unit.perSecond).count - 1 - frac.count) + frac
                    while frac.hasSuffix("0") { frac.removeLast() }
                    t += "." + frac
                }
                return t
            case .uint64: return String(UInt64(bitPattern: value))
            default: return String(value)
            }
        default: return String(value)
        }
    }

    static func decimalText(_ v: Int128, type: DataType) -> String {
        guard case let .decimal(_, scale) = type, scale > 0 else { return String(v) }
        let negative = v < 0
        var digits = String(negative ? -v : v)
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        return (negative ? "-" : "") + digits
    }

    /// (year, month, day) of days since 1970-01-01.
    static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func isoDate(_ days: Int64) -> String {
        let (y, m, d) = civil(days)
        func pad(_ n: Int64, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return y < 0 || y > 9999 ? "\(y)-\(pad(m, 2))-\(pad(d, 2))" : "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static let defaultPartition = "__HIVE_DEFAULT_PARTITION__"

    /// Hive's escaping of directory values: '%XX' for '/', '=', '%', quotes,
    /// control characters and the other bytes Hive escapes.
    static func escape(_ text: String) -> String {
        if text.isEmpty { return defaultPartition }
        let special: Set<UInt8> = Set(Array("\"#%'*/:=?\\{[]^".utf8)).union([0x7F])
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for (i, c) in text.utf8.enumerated() {
            // A leading '.' or '_' would hide the directory from discovery.
            if c < 32 || special.contains(c) || (i == 0 && (c == 46 || c == 95)) {
                out.append(contentsOf: [37, hex[Int(c >> 4)], hex[Int(c & 15)]])
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A stable 64-bit mix (SplitMix64's finalizer): bucket numbers are the same in every run.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return mix(h)
    }
}
