import Columnar
import Engine
import NIOCore

/// One value in PostgreSQL's binary send format (and the text format's bytes),
/// written straight into a message buffer.
enum ValueBinary {
    /// Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01.
    static let epochDays: Int32 = 10_957
    static let epochMicros: Int64 = 946_684_800_000_000

    /// `scratch` carries the text of values that are not stored as text (reused across calls).
    static func writeText(_ column: Column, _ row: Int, scratch: inout [UInt8], into b: inout ByteBuffer) {
        switch column.storage {
        case let .bytes(offsets, data) where column.type == .string:
            _ = data.withUnsafeBytes { raw in
                b.writeBytes(UnsafeRawBufferPointer(rebasing: raw[offsets[row]..<offsets[row + 1]]))
            }
        case let .dictionary(indices, dictionary):
            writeText(dictionary.value, Int(indices[row]), scratch: &scratch, into: &b)
        default:
            scratch.removeAll(keepingCapacity: true)
            _ = ValueText.append(column, row, to: &scratch)
            b.writeBytes(scratch)
        }
    }

    static func write(_ column: Column, _ row: Int, into b: inout ByteBuffer) {
        switch column.storage {
        case let .dictionary(indices, dictionary): write(dictionary.value, Int(indices[row]), into: &b)
        case let .boolean(v): b.writeInteger(UInt8(v[row] != 0 ? 1 : 0))
        case let .int8(v): b.writeInteger(Int16(v[row]))
        case let .int16(v): b.writeInteger(v[row])
        case let .int32(v):
            b.writeInteger(column.type == .date32 ? clampDays(v[row]) : v[row])
        case let .int64(v):
            switch column.type {
            case let .decimal(_, scale): writeNumeric(Int128(v[row]), scale: scale, into: &b)
            case let .timestamp(unit, _): b.writeInteger(micros(v[row], unit) &- epochMicros)
            case let .time(unit): b.writeInteger(micros(v[row], unit))
            default: b.writeInteger(v[row])
            }
        case let .int128(v):
            if case let .decimal(_, scale) = column.type { writeNumeric(v[row], scale: scale, into: &b) } else { writeNumeric(v[row], scale: 0, into: &b) }
        case let .uint8(v): b.writeInteger(Int16(v[row]))
        case let .uint16(v):
            if column.type == .float16 { b.writeInteger(Float(halfBitPattern: v[row]).bitPattern) } else { b.writeInteger(Int32(v[row])) }
        case let .uint32(v): b.writeInteger(Int64(v[row]))
        case let .uint64(v): writeNumeric(Int128(v[row]), scale: 0, into: &b)
        case let .float32(v): b.writeInteger(v[row].bitPattern)
        case let .float64(v): b.writeInteger(v[row].bitPattern)
        case let .bytes(offsets, data):
            _ = data.withUnsafeBytes { raw in
                b.writeBytes(UnsafeRawBufferPointer(rebasing: raw[offsets[row]..<offsets[row + 1]]))
            }
        case let .fixedBytes(width, data):
            if column.type == .interval, width == 16 {
                let (months, days, micros) = ValueText.intervalParts(data, row)
                b.writeInteger(micros)
                b.writeInteger(days)
                b.writeInteger(months)
            } else {
                b.writeBytes(data[(row * width)..<((row + 1) * width)])
            }
        case let .list(offsets, child):
            guard case let .list(element) = column.type, PostgresType.of(column.type).category == "A" else {
                b.writeString(ValueText.format(column, row) ?? "")  // nested lists go as text (type text)
                return
            }
            writeArray(child.value, offsets[row]..<offsets[row + 1], elementOID: PostgresType.of(element.type).oid, into: &b)
        case .structure:
            // Records go as their text form (RowDescription says text for them).
            b.writeString(ValueText.format(column, row) ?? "")
        }
    }

    /// A one-dimensional array in PostgreSQL's binary form (array_send): dimensions, a
    /// has-NULLs flag, the element type, then each element's length (-1: NULL) and value.
    static func writeArray(_ elements: Column, _ range: Range<Int>, elementOID: Int32, into b: inout ByteBuffer) {
        b.writeInteger(Int32(range.isEmpty ? 0 : 1))
        b.writeInteger(Int32(range.contains(where: elements.isNull) ? 1 : 0))
        b.writeInteger(elementOID)
        if !range.isEmpty {
            b.writeInteger(Int32(range.count))
            b.writeInteger(Int32(1))  // lower bound
        }
        for i in range {
            if elements.isNull(i) {
                b.writeInteger(Int32(-1))
                continue
            }
            let lengthIndex = b.writerIndex
            b.writeInteger(Int32(0))
            write(elements, i, into: &b)
            b.setInteger(Int32(b.writerIndex - lengthIndex - 4), at: lengthIndex)
        }
    }

    private static func clampDays(_ days: Int32) -> Int32 {
        let (d, overflow) = days.subtractingReportingOverflow(epochDays)
        return overflow ? Int32.min : d
    }

    static func micros(_ ticks: Int64, _ unit: TimeUnit) -> Int64 {
        switch unit {
        case .millisecond: return ticks.multipliedReportingOverflow(by: 1000).partialValue
        case .microsecond: return ticks
        case .nanosecond: return ticks / 1000
        }
    }

    /// PostgreSQL's numeric send format: ndigits, weight, sign, dscale, then base-10000
    /// digits of the absolute value, most significant first, the decimal point between
    /// digit `weight` and `weight + 1`.
    static func writeNumeric(_ unscaled: Int128, scale: Int, into b: inout ByteBuffer) {
        let negative = unscaled < 0
        var magnitude = unscaled.magnitude
        // Pad the fraction to a multiple of 4 digits so base-10000 groups align with the point.
        let fractionGroups = (scale + 3) / 4
        var pad = fractionGroups * 4 - scale
        while pad > 0 {
            magnitude *= 10
            pad -= 1
        }
        var groups: [Int16] = []  // least significant first
        while magnitude > 0 {
            groups.append(Int16(magnitude % 10_000))
            magnitude /= 10_000
        }
        var weight = groups.count - fractionGroups - 1
        // Trailing zero groups (least significant) are dropped; leading ones never exist.
        var low = 0
        while low < groups.count, groups[low] == 0 { low += 1 }
        let digits = groups.count == 0 ? [] : Array(groups[low...].reversed())
        if digits.isEmpty { weight = 0 }
        b.writeInteger(Int16(digits.count))
        b.writeInteger(Int16(weight))
        b.writeInteger(UInt16(negative && !digits.isEmpty ? 0x4000 : 0))
        b.writeInteger(Int16(scale))
        for d in digits { b.writeInteger(d) }
    }
}
