import Columnar

/// Converts one field's text into a value of its column's type and appends it
/// to the column's buffer. Chosen once per column (after inference or from the
/// table's schema), then called for every field of that column.
struct TextConverter: Sendable {
    enum Kind: Sendable {
        case boolean
        case int32
        case int64(min: Int64, max: Int64)
        case decimal(precision: Int, scale: Int)
        case double
        case date
        case timestamp(divisor: Int64, multiplier: Int64)
        case time(divisor: Int64, multiplier: Int64)
        case string
        case binary
        case fixed(Int)
        /// Lists, structs and maps: the field holds JSON.
        case json
    }

    let type: DataType
    let kind: Kind
    let thousands: UInt8?
    let order: TextValues.DayOrder
    /// 10^precision for decimals up to 18 digits (the fast path's bound).
    let limit: Int64

    init(type: DataType, thousands: Bool = false, order: TextValues.DayOrder = .monthFirst) throws(IngestError) {
        self.type = type
        self.thousands = thousands ? 44 : nil
        self.order = order
        if case let .decimal(p, _) = type, p <= 18 { limit = Int64(TextValues.pow10(p)) } else { limit = .max }
        func scaled(_ unit: TimeUnit) -> (Int64, Int64) {
            switch unit {
            case .millisecond: (1000, 1)
            case .microsecond: (1, 1)
            case .nanosecond: (1, 1000)
            }
        }
        switch type {
        case .boolean: kind = .boolean
        case .int8: kind = .int64(min: Int64(Int8.min), max: Int64(Int8.max))
        case .int16: kind = .int64(min: Int64(Int16.min), max: Int64(Int16.max))
        case .int32: kind = .int32
        case .int64: kind = .int64(min: .min, max: .max)
        case .uint8: kind = .int64(min: 0, max: Int64(UInt8.max))
        case .uint16: kind = .int64(min: 0, max: Int64(UInt16.max))
        case .uint32: kind = .int64(min: 0, max: Int64(UInt32.max))
        case .uint64: kind = .int64(min: 0, max: .max)
        case let .decimal(p, s): kind = .decimal(precision: p, scale: s)
        case .float16, .float32, .float64: kind = .double
        case .date32: kind = .date
        case let .timestamp(unit, _): let (d, m) = scaled(unit); kind = .timestamp(divisor: d, multiplier: m)
        case let .time(unit): let (d, m) = scaled(unit); kind = .time(divisor: d, multiplier: m)
        case .string: kind = .string
        case .binary: kind = .binary
        case let .fixedBinary(w): kind = .fixed(w)
        case .list, .structure, .map: kind = .json
        case .interval: throw IngestError(.schema, "interval columns cannot be ingested from text")
        }
    }

    /// The conversion itself, without the column's `DataType` (trivially
    /// copyable: the per-field loop reads it from an array without reference counting).
    var core: Core { Core(kind: kind, thousands: thousands, order: order, limit: limit) }

    /// Appends the value of `s` to `buffer`; returns why not when `s` is not a value of the type.
    @inline(__always)
    func append(_ s: UnsafeRawBufferPointer, to buffer: ColumnBuffer, asciiBlock: Bool) -> String? {
        guard let failure = core.append(s, to: buffer, asciiBlock: asciiBlock) else { return nil }
        return reason(failure, s, to: buffer)
    }

    /// Why `s` failed (cold path); JSON values (`.slowPath`) are converted here.
    func reason(_ failure: Core.Failure, _ s: UnsafeRawBufferPointer, to buffer: ColumnBuffer) -> String? {
        switch failure {
        case .notA: return notA(s)
        case .outOfRange: return "\(quoted(s)) is out of range for \(type)"
        case .doesNotFit: return "\(quoted(s)) does not fit \(type)"
        case .invalidUTF8: return "invalid UTF-8 (byte \(TextValues.firstInvalidUTF8(s) + 1) of the value)"
        case .width:
            if case let .fixed(w) = kind { return "\(quoted(s)) has \(s.count) bytes, \(type) needs \(w)" }
            return notA(s)
        case .slowPath:
            do {
                var parser = JSONParser(s)
                let value = try parser.document()
                if let reason = JSONConverter.append(value, type: type, to: buffer) { return reason }
            } catch {
                return "not valid JSON for \(type): \(error.message)"
            }
            return nil
        }
    }

    /// `TextConverter` without the type: the hot per-field conversion.
    struct Core: Sendable {
        enum Failure: Sendable { case notA, outOfRange, doesNotFit, invalidUTF8, width, slowPath }

        let kind: Kind
        let thousands: UInt8?
        let order: TextValues.DayOrder
        let limit: Int64

        /// Appends the value of `s` to `buffer`; returns why not (`.slowPath`: JSON, converted by `TextConverter.reason`).
        @inline(__always)
        func append(_ s: UnsafeRawBufferPointer, to buffer: ColumnBuffer, asciiBlock: Bool) -> Failure? {
            switch kind {
            case .string:
                if !asciiBlock && !TextValues.isValidUTF8(s) { return .invalidUTF8 }
                buffer.appendBytes(s)
            case let .int64(lo, hi):
                guard let v = TextValues.int64(s, thousands: thousands) ?? integralDecimal(s) else { return .notA }
                guard v >= lo && v <= hi else { return .outOfRange }
                buffer.appendInt64(v)
            case .int32:
                guard let v = TextValues.int64(s, thousands: thousands) ?? integralDecimal(s) else { return .notA }
                guard v >= Int64(Int32.min) && v <= Int64(Int32.max) else { return .outOfRange }
                buffer.appendInt32(Int32(v))
            case let .decimal(p, sc):
                if p <= 18, let v = TextValues.decimal64(s, scale: sc), v < limit, v > -limit {
                    buffer.appendInt64(v)
                    return nil
                }
                guard let v = TextValues.decimal(s, precision: p, scale: sc, thousands: thousands) else {
                    return TextValues.decimalText(s, thousands: thousands) == nil ? .notA : .doesNotFit
                }
                if p <= 18 { buffer.appendInt64(Int64(v)) } else { buffer.appendInt128(v) }
            case .double:
                guard let v = TextValues.double(s, thousands: thousands) else { return .notA }
                buffer.appendDouble(v)
            case .boolean:
                guard let v = TextValues.boolean(s, lenient: true) else { return .notA }
                buffer.appendBool(v)
            case .date:
                if let d = TextValues.isoDate(s) ?? TextValues.date(s, order: order) {
                    buffer.appendInt32(d)
                } else if let t = TextValues.timestamp(s, order: order), t.micros % 86_400_000_000 == 0 {
                    buffer.appendInt32(Int32(truncatingIfNeeded: t.micros / 86_400_000_000))
                } else {
                    return .notA
                }
            case let .timestamp(divisor, multiplier):
                guard let t = TextValues.timestamp(s, order: order) else { return .notA }
                let (v, o) = (t.micros / divisor).multipliedReportingOverflow(by: multiplier)
                if o { return .outOfRange }
                buffer.appendInt64(v)
            case let .time(divisor, multiplier):
                guard let t = TextValues.time(s) else { return .notA }
                buffer.appendInt64(t / divisor * multiplier)
            case .binary:
                buffer.appendBytes(s)
            case let .fixed(w):
                guard s.count == w else { return .width }
                buffer.appendBytes(s)
            case .json:
                return .slowPath
            }
            return nil
        }

        /// "12.00" into an integer column: accepted when the fraction is zero.
        private func integralDecimal(_ s: UnsafeRawBufferPointer) -> Int64? {
            guard let v = TextValues.decimal(s, precision: 19, scale: 0, thousands: thousands),
                  let d = TextValues.decimalText(s, thousands: thousands), d.scale > 0,
                  d.unscaled % TextValues.pow10(d.scale) == 0, v >= Int128(Int64.min), v <= Int128(Int64.max) else { return nil }
            return Int64(v)
        }
    }

    private func notA(_ s: UnsafeRawBufferPointer) -> String { "\(quoted(s)) is not a valid \(TextConverter.sqlName(type))" }

    static func sqlName(_ type: DataType) -> String {
        switch type {
        case .int64: "bigint"
        case .int32: "integer"
        case .int16: "smallint"
        case .float64: "double"
        case .float32: "real"
        case .date32: "date"
        case .timestamp(_, false): "timestamp"
        case .timestamp(_, true): "timestamptz"
        case .string: "varchar"
        default: type.description
        }
    }
}

/// A value quoted for an error message, cut after 40 characters.
func quoted(_ s: UnsafeRawBufferPointer) -> String {
    let cut = s.count > 40
    let text = String(decoding: UnsafeRawBufferPointer(rebasing: s[0..<min(s.count, 40)]), as: UTF8.self)
    return "'" + text + (cut ? "...'" : "'")
}
