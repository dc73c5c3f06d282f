import Columnar
import Parquet

/// The text `basalt parquet inspect` prints.
enum ParquetInspection {
    static func render(_ file: ParquetFile) -> String {
        let m = file.metadata
        var out = "file: \(file.source.size) bytes, format version \(m.version), created by \(m.createdBy ?? "unknown")\n"
        out += "rows: \(m.numRows) in \(m.rowGroups.count) row group\(m.rowGroups.count == 1 ? "" : "s")\n"
        if let kv = m.keyValueMetadata, !kv.isEmpty {
            out += "key-value metadata:\n"
            for entry in kv {
                let value = entry.value ?? ""
                out += "  \(entry.key) = \(value.count > 80 ? String(value.prefix(77)) + "..." : value)\n"
            }
        }
        out += "\nschema:\n"
        func visit(_ node: SchemaNode, depth: Int) {
            let indent = String(repeating: "  ", count: depth + 1)
            let e = node.element
            var line = indent + node.repetition.name.lowercased() + " "
            if let type = e.type, node.isLeaf {
                line += type.name
                if type == .fixedLenByteArray { line += "(\(e.typeLength ?? 0))" }
            } else {
                line += "group"
            }
            line += " \(node.name)"
            var notes: [String] = []
            if let l = e.logicalType { notes.append(describe(l)) } else if let c = e.convertedType { notes.append(c.name) }
            if let leaf = node.leafIndex {
                let column = file.schema.leaves[leaf]
                notes.append("as \(column.dataType())")
                notes.append("def \(column.maxDefinitionLevel) rep \(column.maxRepetitionLevel)")
            }
            if !notes.isEmpty { line += "  (" + notes.joined(separator: "; ") + ")" }
            out += line + "\n"
            for child in node.children { visit(child, depth: depth + 1) }
        }
        for column in file.schema.columns { visit(column, depth: 0) }

        for (g, rg) in m.rowGroups.enumerated() {
            out += "\nrow group \(g): \(rg.numRows) rows, \(rg.totalByteSize) bytes uncompressed"
            if let c = rg.totalCompressedSize { out += ", \(c) compressed" }
            out += "\n"
            for (i, chunk) in rg.columns.enumerated() {
                let leaf = i < file.schema.leaves.count ? file.schema.leaves[i] : nil
                guard let meta = chunk.metaData else {
                    out += "  \(leaf?.dottedPath ?? "column \(i)"): no metadata\n"
                    continue
                }
                out += "  \(meta.pathInSchema.joined(separator: ".")): \(meta.type.name), \(meta.codec)\n"
                out += "    values \(meta.numValues), \(meta.totalCompressedSize) bytes compressed, \(meta.totalUncompressedSize) uncompressed\n"
                out += "    encodings " + meta.encodings.map(\.description).joined(separator: ", ") + "\n"
                var offsets = "    data page at \(meta.dataPageOffset)"
                if let d = meta.dictionaryPageOffset { offsets += ", dictionary page at \(d)" }
                if chunk.columnIndexOffset != nil { offsets += ", page index" }
                if let b = meta.bloomFilterOffset { offsets += ", bloom filter at \(b)" }
                out += offsets + "\n"
                if let s = meta.statistics, let leaf {
                    var parts: [String] = []
                    if let n = s.nullCount { parts.append("nulls \(n)") }
                    if let d = s.distinctCount { parts.append("distinct \(d)") }
                    if let lo = s.minValue ?? (leaf.usesLegacyStatistics ? s.min : nil) { parts.append("min \(StatisticsFormatter.format(lo, leaf: leaf))") }
                    if let hi = s.maxValue ?? (leaf.usesLegacyStatistics ? s.max : nil) { parts.append("max \(StatisticsFormatter.format(hi, leaf: leaf))") }
                    if !parts.isEmpty { out += "    statistics: " + parts.joined(separator: ", ") + "\n" }
                }
            }
        }
        return out
    }

    static func describe(_ l: LogicalType) -> String {
        switch l {
        case let .decimal(p, s): "DECIMAL(\(p),\(s))"
        case let .integer(bits, signed): (signed ? "INT" : "UINT") + "\(bits)"
        case let .time(utc, unit): "TIME(\(unit), utc: \(utc))"
        case let .timestamp(utc, unit): "TIMESTAMP(\(unit), utc: \(utc))"
        default: "\(l)".uppercased()
        }
    }
}

extension LeafColumn {
    /// The deprecated min/max fields used signed byte order; they are only trustworthy
    /// where that equals the type's order.
    var usesLegacyStatistics: Bool {
        switch dataType() {
        case .int8, .int16, .int32, .int64, .float32, .float64, .date32, .boolean: true
        default: false
        }
    }
}

/// Statistics bytes (PLAIN encoding of one value) rendered for people.
enum StatisticsFormatter {
    static func format(_ bytes: [UInt8], leaf: LeafColumn) -> String {
        func le<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count >= MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
        }
        switch leaf.dataType() {
        case .boolean: return bytes.first.map { $0 != 0 ? "true" : "false" } ?? "?"
        case .int8, .int16, .int32: return le(Int32.self).map(String.init) ?? "?"
        case .uint8, .uint16, .uint32:
            return leaf.physicalType == .int32 ? le(UInt32.self).map(String.init) ?? "?" : le(UInt64.self).map(String.init) ?? "?"
        case .int64, .time, .timestamp: return le(Int64.self).map(String.init) ?? "?"
        case .uint64: return le(UInt64.self).map(String.init) ?? "?"
        case .date32: return le(Int32.self).map { date($0) } ?? "?"
        case .float32: return le(UInt32.self).map { String(Float(bitPattern: $0)) } ?? "?"
        case .float64: return le(UInt64.self).map { String(Double(bitPattern: $0)) } ?? "?"
        case let .decimal(_, scale):
            let unscaled: Int128
            switch leaf.physicalType {
            case .int32: unscaled = Int128(le(Int32.self) ?? 0)
            case .int64: unscaled = Int128(le(Int64.self) ?? 0)
            default:
                guard bytes.count <= 16 else { return "(\(bytes.count) bytes)" }
                var v: Int128 = (bytes.first ?? 0) & 0x80 != 0 ? -1 : 0
                for b in bytes { v = v << 8 | Int128(b) }
                unscaled = v
            }
            return decimalString(unscaled, scale: scale)
        case .string:
            let s = String(decoding: bytes, as: UTF8.self)
            return "\"" + (s.count > 40 ? String(s.prefix(37)) + "..." : s) + "\""
        default:
            return "0x" + bytes.prefix(20).map { String($0, radix: 16).leftPad(2) }.joined() + (bytes.count > 20 ? "..." : "")
        }
    }

    static func date(_ days: Int32) -> String { ValueText.date(days) }
    static func decimalString(_ v: Int128, scale: Int) -> String { ValueText.decimal(v, scale: scale) }
}

extension String {
    func leftPad(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
