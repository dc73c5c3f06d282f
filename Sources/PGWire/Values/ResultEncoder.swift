import Columnar
import Engine
import NIOCore

/// Writes result batches as DataRow messages straight into an outgoing buffer,
/// each column in the format the client asked for (0 text, 1 binary). Text is
/// PostgreSQL's output form (`ValueText`); binary is PostgreSQL's send form.
struct ResultEncoder {
    let fields: [Field]
    /// One format per column.
    let formats: [Int16]

    init(fields: [Field], requested: [Int16]) {
        self.fields = fields
        // Records, maps and nested lists go as text values (type text), and RowDescription says
        // so; one-dimensional arrays of scalars have their binary form.
        self.formats = zip(fields, Self.formats(requested, count: fields.count)).map { field, format in
            switch field.type {
            case .list: PostgresType.of(field.type).category == "A" ? format : 0
            case .structure, .map: 0
            default: format
            }
        }
    }

    /// RowDescription's `format` per column from Bind's result-format codes
    /// (none: all text; one: all the same; else one per column).
    static func formats(_ requested: [Int16], count: Int) -> [Int16] {
        switch requested.count {
        case 0: return Array(repeating: 0, count: count)
        case 1: return Array(repeating: requested[0], count: count)
        default: return (0..<count).map { $0 < requested.count ? requested[$0] : 0 }
        }
    }

    /// RowDescription for these columns.
    var rowDescription: BackendMessage {
        .rowDescription(zip(fields, formats).map { field, format in
            let type = PostgresType.of(field.type)
            return BackendMessage.FieldDescription(name: field.name, typeOID: type.oid, typeLength: type.length,
                                                   typeModifier: PostgresType.modifier(of: field.type), format: format)
        })
    }

    /// Appends rows `range` of `batch` as DataRow messages.
    func writeRows(_ batch: RecordBatch, _ range: Range<Int>, into out: inout ByteBuffer) {
        let columns = batch.columns
        var scratch: [UInt8] = []
        for row in range {
            out.writeMessage(UInt8(ascii: "D")) { b in
                b.writeInteger(Int16(columns.count))
                for (c, column) in columns.enumerated() {
                    if column.isNull(row) {
                        b.writeInteger(Int32(-1))
                        continue
                    }
                    let lengthIndex = b.writerIndex
                    b.writeInteger(Int32(0))
                    if formats[c] == 1 {
                        ValueBinary.write(column, row, into: &b)
                    } else {
                        ValueBinary.writeText(column, row, scratch: &scratch, into: &b)
                    }
                    b.setInteger(Int32(b.writerIndex - lengthIndex - 4), at: lengthIndex)
                }
            }
        }
    }
}
