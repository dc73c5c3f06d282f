extension ValueText {
    /// Appends the text of value `row` (exactly `format`'s) to `out`; false, appending
    /// nothing, when it is null. Integers, decimals, dates, booleans and text are written
    /// digit by digit with no `String` in between: result rows go out through this (a
    /// COPY of 50,000 rows formatted each field as a String first, a quarter of its time).
    @inlinable
    public static func append(_ column: Column, _ row: Int, to out: inout [UInt8]) -> Bool {
        if column.isNull(row) { return false }
        switch column.storage {
        case let .dictionary(indices, dictionary):
            return append(dictionary.value, Int(indices[row]), to: &out)
        case let .bytes(offsets, data) where column.type == .string:
            // ASCII as is; other text through `format`, which replaces invalid UTF-8 as it does.
            let bytes = data[offsets[row]..<offsets[row + 1]]
            if bytes.allSatisfy({ $0 < 0x80 }) {
                out.append(contentsOf: bytes)
            } else {
                out.append(contentsOf: format(column, row)!.utf8)
            }
        case let .boolean(v):
            out.append(v[row] != 0 ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case let .int16(v):
            appendInteger(Int128(v[row]), scale: 0, to: &out)
        case let .int32(v):
            if column.type == .date32 {
                let (y, m, d) = civil(fromDays: Int64(v[row]))
                guard y >= 0, y <= 9999 else { out.append(contentsOf: format(column, row)!.utf8); return true }
                appendDigits(y, 4, to: &out)
                out.append(UInt8(ascii: "-"))
                appendDigits(m, 2, to: &out)
                out.append(UInt8(ascii: "-"))
                appendDigits(d, 2, to: &out)
            } else {
                appendInteger(Int128(v[row]), scale: 0, to: &out)
            }
        case let .int64(v):
            switch column.type {
            case let .decimal(_, scale): appendInteger(Int128(v[row]), scale: scale, to: &out)
            case .timestamp, .time: out.append(contentsOf: format(column, row)!.utf8)
            default: appendInteger(Int128(v[row]), scale: 0, to: &out)
            }
        case let .int128(v):
            if case let .decimal(_, scale) = column.type { appendInteger(v[row], scale: scale, to: &out) } else { appendInteger(v[row], scale: 0, to: &out) }
        default:
            out.append(contentsOf: format(column, row)!.utf8)
        }
        return true
    }

    /// `value` with `scale` digits after the point (negative scale: trailing zeros), as `decimal`.
    @inlinable
    static func appendInteger(_ value: Int128, scale: Int, to out: inout [UInt8]) {
        guard scale >= 0, scale <= 38 else { out.append(contentsOf: decimal(value, scale: scale).utf8); return }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // Digits backwards into a fixed scratch (at most 39 of them, plus a leading "0.");
        // 64-bit division while the value fits (128-bit division is a library call).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { scratch in
            var i = 48
            var written = 0
            while magnitude > UInt128(UInt64.max) {
                i -= 1
                scratch[i] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
                written += 1
            }
            var small = UInt64(truncatingIfNeeded: magnitude)
            repeat {
                i -= 1
                scratch[i] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: small % 10)
                small /= 10
                written += 1
            } while small != 0 || written <= scale
            let digits = 48 - i
            if scale == 0 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[i...]))
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[i..<(i + digits - scale)]))
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[(48 - scale)...]))
            }
        }
    }

    /// `value` (0 <= value) zero-padded to `width` digits.
    @inlinable
    static func appendDigits(_ value: Int64, _ width: Int, to out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }
}
