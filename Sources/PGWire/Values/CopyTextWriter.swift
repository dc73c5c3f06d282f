import Columnar
import NIOCore
import SQL

/// One row in COPY's text format (tab-separated, `\N` for NULL, backslash
/// escapes) or CSV (quoted when needed, doubled quotes, empty for NULL).
struct CopyTextWriter {
    let csv: Bool
    let delimiter: UInt8
    let null: String
    let nullBytes: [UInt8]
    let quote: UInt8
    let escape: UInt8

    init(_ copy: CopyTo) {
        csv = copy.format == .csv
        delimiter = copy.delimiter?.utf8.first ?? (csv ? UInt8(ascii: ",") : UInt8(ascii: "\t"))
        null = copy.null ?? (csv ? "" : "\\N")
        nullBytes = Array(null.utf8)
        quote = copy.quote?.utf8.first ?? UInt8(ascii: "\"")
        escape = copy.escape?.utf8.first ?? quote
    }

    func writeHeader(_ names: [String], into b: inout ByteBuffer) {
        for (i, name) in names.enumerated() {
            if i > 0 { b.writeInteger(delimiter) }
            writeField(Array(name.utf8), into: &b)
        }
        b.writeInteger(UInt8(ascii: "\n"))
    }

    /// `scratch` holds each field's text on its way (reused: no allocation per field).
    func writeRow(_ batch: RecordBatch, _ row: Int, scratch: inout [UInt8], into b: inout ByteBuffer) {
        for (i, column) in batch.columns.enumerated() {
            if i > 0 { b.writeInteger(delimiter) }
            scratch.removeAll(keepingCapacity: true)
            if ValueText.append(column, row, to: &scratch) {
                writeField(scratch, into: &b)
            } else {
                b.writeString(null)
            }
        }
        b.writeInteger(UInt8(ascii: "\n"))
    }

    private func writeField(_ bytes: [UInt8], into b: inout ByteBuffer) {
        if csv {
            let needsQuotes = bytes.isEmpty && null.isEmpty
                || bytes.contains { $0 == delimiter || $0 == quote || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") || $0 == escape }
                || bytes == nullBytes
            guard needsQuotes else {
                b.writeBytes(bytes)
                return
            }
            b.writeInteger(quote)
            for byte in bytes {
                if byte == quote || byte == escape { b.writeInteger(escape) }
                b.writeInteger(byte)
            }
            b.writeInteger(quote)
        } else {
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): b.writeString("\\\\")
                case UInt8(ascii: "\n"): b.writeString("\\n")
                case UInt8(ascii: "\r"): b.writeString("\\r")
                case UInt8(ascii: "\t"): b.writeString("\\t")
                case delimiter: b.writeInteger(UInt8(ascii: "\\")); b.writeInteger(byte)
                default: b.writeInteger(byte)
                }
            }
        }
    }
}
