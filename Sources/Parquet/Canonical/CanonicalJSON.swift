import Columnar
import Crypto

/// The canonical JSON form of a Parquet file's contents (version 1), defined in
/// shared/parquet-testing/README.md, so any file can be compared with
/// pyarrow's reading of it. How a value is written is decided by its Parquet
/// column (physical, logical and converted type), not by any Arrow schema.
public enum CanonicalJSON {
    static let allRowsLimit = 2_000
    static let headTailRows = 100

    /// Renders the whole file; `columns` restricts it to some top-level columns.
    public static func render(_ file: ParquetFile, columns: [Int]? = nil) throws(ParquetError) -> String {
        let options = ReadOptions(int96AsRawBytes: true, keepDictionaries: true)
        let selected = columns ?? Array(file.schema.columns.indices)
        var head: [String] = []
        var tail: [String] = []  // ring of the last rows once past the limit
        var total = 0
        var nullCounts = [Int](repeating: 0, count: selected.count)
        for g in 0..<file.rowGroupCount {
            let batch = try file.readRowGroup(g, columns: selected, options: options)
            for (k, column) in batch.columns.enumerated() { nullCounts[k] += column.nullCount }
            for row in 0..<batch.rowCount {
                var out = "["
                for (k, column) in batch.columns.enumerated() {
                    if k > 0 { out += ", " }
                    writeValue(column, row, shape: file.shapes[selected[k]], file: file, into: &out)
                }
                out += "]"
                if total < allRowsLimit { head.append(out) } else {
                    if tail.isEmpty { tail = Array(head.suffix(headTailRows)); head.removeSubrange(headTailRows...) }
                    tail.append(out)
                    if tail.count > headTailRows * 2 { tail.removeFirst(tail.count - headTailRows) }
                }
                total += 1
            }
        }
        var json = "{\n  \"canon_version\": 1,\n"
        json += "  \"num_rows\": \(integer(file.metadata.numRows)),\n"
        json += "  \"num_row_groups\": \(file.rowGroupCount),\n"
        json += "  \"columns\": [" + selected.map { string(file.schema.columns[$0].name) }.joined(separator: ", ") + "],\n"
        json += "  \"null_counts\": [" + nullCounts.map(String.init).joined(separator: ", ") + "],\n"
        json += "  \"schema\": [\n" + schemaEntries(file).joined(separator: ",\n") + "\n  ],\n"
        if total <= allRowsLimit {
            json += "  \"rows\": [\n    " + head.joined(separator: ",\n    ") + "\n  ]\n}\n"
        } else {
            json += "  \"head_rows\": [\n    " + head.prefix(headTailRows).joined(separator: ",\n    ") + "\n  ],\n"
            json += "  \"tail_rows\": [\n    " + tail.suffix(headTailRows).joined(separator: ",\n    ") + "\n  ]\n}\n"
        }
        return json
    }

    /// `{"error": category, "message": ...}` for a file that cannot be read.
    public static func error(_ error: ParquetError) -> String {
        "{\"error\": \(string(error.kind.rawValue)), \"message\": \(string(error.message))}\n"
    }

    // MARK: schema

    static func schemaEntries(_ file: ParquetFile) -> [String] {
        var entries: [String] = []
        func visit(_ node: SchemaNode) {
            let e = node.element
            var decimalPS: (Int32, Int32)?
            if case let .decimal(p, s)? = e.logicalType { decimalPS = (p, s) }
            else if e.logicalType == nil, e.convertedType == .decimal { decimalPS = (e.precision ?? 0, e.scale ?? 0) }
            var fields: [String] = []
            fields.append("\"path\": [" + node.path.map(string).joined(separator: ", ") + "]")
            fields.append("\"repetition\": " + string(node.repetition.name))
            fields.append("\"physical_type\": " + (node.isLeaf ? string(e.type!.name) : "null"))
            fields.append("\"type_length\": " + (e.type == .fixedLenByteArray ? String(e.typeLength ?? 0) : "null"))
            fields.append("\"converted_type\": " + (e.convertedType.map { string($0.name) } ?? "null"))
            fields.append("\"logical_type\": " + (e.logicalType.map(logicalType) ?? "null"))
            fields.append("\"precision\": " + (decimalPS.map { String($0.0) } ?? "null"))
            fields.append("\"scale\": " + (decimalPS.map { String($0.1) } ?? "null"))
            entries.append("    {" + fields.joined(separator: ", ") + "}")
            node.children.forEach(visit)
        }
        file.schema.root.children.forEach(visit)
        return entries
    }

    static func logicalType(_ t: LogicalType) -> String {
        func unit(_ u: TimeUnit) -> String {
            switch u {
            case .millis: "\"MILLIS\""
            case .micros: "\"MICROS\""
            case .nanos: "\"NANOS\""
            }
        }
        switch t {
        case .string: return "{\"type\": \"STRING\"}"
        case .map: return "{\"type\": \"MAP\"}"
        case .list: return "{\"type\": \"LIST\"}"
        case .enumeration: return "{\"type\": \"ENUM\"}"
        case .date: return "{\"type\": \"DATE\"}"
        case .json: return "{\"type\": \"JSON\"}"
        case .bson: return "{\"type\": \"BSON\"}"
        case .uuid: return "{\"type\": \"UUID\"}"
        case .float16: return "{\"type\": \"FLOAT16\"}"
        case .variant: return "{\"type\": \"VARIANT\"}"
        case .unknown: return "{\"type\": \"UNKNOWN\"}"
        case let .decimal(p, s): return "{\"type\": \"DECIMAL\", \"precision\": \(p), \"scale\": \(s)}"
        case let .time(utc, u): return "{\"type\": \"TIME\", \"unit\": \(unit(u)), \"is_adjusted_to_utc\": \(utc)}"
        case let .timestamp(utc, u): return "{\"type\": \"TIMESTAMP\", \"unit\": \(unit(u)), \"is_adjusted_to_utc\": \(utc)}"
        case let .integer(bits, signed): return "{\"type\": \"INTEGER\", \"bit_width\": \(bits), \"is_signed\": \(signed)}"
        case let .geometry(crs): return "{\"type\": \"GEOMETRY\", \"crs\": \(crs.map(string) ?? "null")}"
        case let .geography(crs, algorithm):
            let names = ["SPHERICAL", "VINCENTY", "THOMAS", "ANDOYER", "KARNEY"]
            let a = algorithm.map { Int($0.rawValue) < names.count ? string(names[Int($0.rawValue)]) : "null" } ?? "null"
            return "{\"type\": \"GEOGRAPHY\", \"crs\": \(crs.map(string) ?? "null"), \"algorithm\": \(a)}"
        }
    }

    // MARK: values

    static func writeValue(_ column: Column, _ row: Int, shape: ColumnShape, file: ParquetFile, into out: inout String) {
        if column.isNull(row) {
            out += "null"
            return
        }
        switch (shape, column.storage) {
        case let (.structure(fields, _, _), .structure(children)):
            out += "{"
            for (k, f) in fields.enumerated() {
                if k > 0 { out += ", " }
                out += string(f.name) + ": "
                writeValue(children[k], row, shape: f.shape, file: file, into: &out)
            }
            out += "}"
        case let (.list(element, _, _, _, _, isMap), .list(offsets, child)):
            out += "["
            for (n, i) in (offsets[row]..<offsets[row + 1]).enumerated() {
                if n > 0 { out += ", " }
                if isMap, case let .structure(kv, _, _) = element, case let .structure(pair) = child.value.storage {
                    out += "["
                    writeValue(pair[0], i, shape: kv[0].shape, file: file, into: &out)
                    out += ", "
                    writeValue(pair[1], i, shape: kv[1].shape, file: file, into: &out)
                    out += "]"
                } else {
                    writeValue(child.value, i, shape: element, file: file, into: &out)
                }
            }
            out += "]"
        case let (.leaf(leafIndex, _, _), _):
            writeLeaf(column, row, leaf: file.schema.leaves[leafIndex], into: &out)
        default:
            out += "null"
        }
    }

    static func writeLeaf(_ column: Column, _ row: Int, leaf: LeafColumn, into out: inout String) {
        switch column.storage {
        case let .dictionary(indices, dictionary):
            writeLeaf(dictionary.value, Int(indices[row]), leaf: leaf, into: &out)
            return
        case let .boolean(v): out += v[row] != 0 ? "true" : "false"
        case let .int8(v): out += String(v[row])
        case let .int16(v): out += String(v[row])
        case let .uint8(v): out += String(v[row])
        case let .uint16(v):
            if column.type == .float16 { out += float(Float(halfBitPattern: v[row])) } else { out += String(v[row]) }
        case let .uint32(v): out += String(v[row])
        case let .uint64(v): out += integer(Int128(v[row]))
        case let .int32(v):
            if column.type == .date32 { out += string(date(v[row])) } else { out += String(v[row]) }
        case let .int64(v):
            if case let .decimal(_, scale) = column.type { out += string(decimal(Int128(v[row]), scale: scale)) }
            else { out += integer(Int128(v[row])) }
        case let .int128(v):
            if case let .decimal(_, scale) = column.type { out += string(decimal(v[row], scale: scale)) }
            else { out += integer(v[row]) }
        case let .float32(v): out += float(v[row])
        case let .float64(v): out += double(v[row])
        case let .bytes(offsets, data):
            let bytes = data[offsets[row]..<offsets[row + 1]]
            out += column.type == .string ? text(bytes) : binary(bytes)
        case let .fixedBytes(width, data):
            let bytes = data[(row * width)..<((row + 1) * width)]
            if leaf.physicalType == .int96 {
                let raw = Array(bytes)
                let nanos = raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: Int64.self) }
                let day = raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: Int32.self) }
                out += integer((Int128(day) - 2_440_588) * 86_400_000_000_000 + Int128(nanos))
            } else {
                out += binary(bytes)
            }
        case .list, .structure:
            out += "null"
        }
    }

    // MARK: scalar formatting

    static func integer<T: BinaryInteger>(_ v: T) -> String {
        let limit: Int128 = 1 << 53
        let wide = Int128(v)
        return (-limit...limit).contains(wide) ? String(wide) : "\"\(wide)\""
    }

    static func decimal(_ unscaled: Int128, scale: Int) -> String { ValueText.decimal(unscaled, scale: scale) }

    static func date(_ days: Int32) -> String { ValueText.date(days) }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func float(_ v: Float) -> String {
        if v.isNaN { return "\"NaN\"" }
        if v.isInfinite { return v < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        return "\"" + pythonRepr(v.description) + "\""
    }

    static func double(_ v: Double) -> String {
        if v.isNaN { return "\"NaN\"" }
        if v.isInfinite { return v < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        return "\"" + pythonRepr(v.description) + "\""
    }

    /// Re-lays Swift's shortest round-trip digits out the way Python's `repr` does.
    static func pythonRepr(_ swift: String) -> String {
        var s = Substring(swift)
        var sign = ""
        if s.hasPrefix("-") { sign = "-"; s = s.dropFirst() }
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(s[s.index(after: e)...]) ?? 0
            s = s[..<e]
        }
        var intPart = Substring(s), fracPart = Substring("")
        if let dot = s.firstIndex(of: ".") {
            intPart = s[..<dot]
            fracPart = s[s.index(after: dot)...]
        }
        var digits = String(intPart) + String(fracPart)
        var pointPos = intPart.count + exponent  // value = 0.digits × 10^pointPos
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); pointPos -= 1 }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        if digits == "0" { return sign + "0.0" }
        let e = pointPos - 1  // value = d1.d2… × 10^e
        if e >= -4 && e < 16 {
            if e < 0 { return sign + "0." + String(repeating: "0", count: -e - 1) + digits }
            if digits.count <= e + 1 { return sign + digits + String(repeating: "0", count: e + 1 - digits.count) + ".0" }
            let split = digits.index(digits.startIndex, offsetBy: e + 1)
            return sign + digits[..<split] + "." + digits[split...]
        }
        var mantissa = String(digits.first!)
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let expSign = e < 0 ? "-" : "+"
        return sign + mantissa + "e" + expSign + pad(String(abs(e)), 2)
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.count > 4096 { return digest(bytes) }
        return string(String(decoding: bytes, as: UTF8.self))
    }

    static func binary(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.count > 4096 { return digest(bytes) }
        return "\"" + hex(bytes) + "\""
    }

    static func hex<C: Collection<UInt8>>(_ bytes: C) -> String { ValueText.hex(bytes) }

    static func digest(_ bytes: ArraySlice<UInt8>) -> String {
        let hash = bytes.withUnsafeBytes { SHA256.hash(data: $0) }
        return "{\"length\": \(bytes.count), \"sha256\": \"\(hex(Array(hash)))\"}"
    }

    /// A JSON string literal.
    static func string(_ s: String) -> String { ValueText.jsonString(s) }
}

