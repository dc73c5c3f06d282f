import Columnar
import Engine

/// Bind parameters in PostgreSQL's binary format, turned into the text the
/// engine binds (`ParameterValue.text`). The type is the parameter's OID from
/// Parse or, when the client left it open, the type the engine inferred.
public enum ParameterText {
    public struct Invalid: Error {
        public var message: String
    }

    public static func decode(_ bytes: [UInt8], oid: Int32) throws(Invalid) -> String {
        func integer<T: FixedWidthInteger>(_: T.Type) throws(Invalid) -> T {
            guard bytes.count == MemoryLayout<T>.size else {
                throw Invalid(message: "insufficient data left in message: expected \(MemoryLayout<T>.size) bytes, got \(bytes.count)")
            }
            return bytes.reduce(T.zero) { ($0 << 8) | T(truncatingIfNeeded: $1) }
        }
        switch oid {
        case PostgresType.bool.oid:
            guard bytes.count == 1 else { throw Invalid(message: "insufficient data left in message") }
            return bytes[0] != 0 ? "true" : "false"
        case PostgresType.int2.oid: return String(try integer(Int16.self))
        case PostgresType.int4.oid, PostgresType.oidType.oid, PostgresType.regclass.oid, PostgresType.regtype.oid,
             PostgresType.regproc.oid:
            return String(try integer(Int32.self))
        case PostgresType.int8.oid: return String(try integer(Int64.self))
        case PostgresType.float4.oid: return ValueText.float(Float(bitPattern: try integer(UInt32.self)))
        case PostgresType.float8.oid: return ValueText.double(Double(bitPattern: try integer(UInt64.self)))
        case PostgresType.date.oid:
            let days = Int64(try integer(Int32.self)) + Int64(ValueBinary.epochDays)
            guard let d = Int32(exactly: days) else { throw Invalid(message: "date out of range") }
            return ValueText.date(d)
        case PostgresType.timestamp.oid, PostgresType.timestamptz.oid:
            let (micros, overflow) = try integer(Int64.self).addingReportingOverflow(ValueBinary.epochMicros)
            guard !overflow else { throw Invalid(message: "timestamp out of range") }
            return ValueText.timestamp(micros, unit: .microsecond) + (oid == PostgresType.timestamptz.oid ? "+00" : "")
        case PostgresType.time.oid:
            return ValueText.time(try integer(Int64.self), unit: .microsecond)
        case PostgresType.interval.oid:
            guard bytes.count == 16 else { throw Invalid(message: "insufficient data left in message") }
            let micros = bytes[0..<8].reduce(Int64(0)) { ($0 << 8) | Int64($1) }
            let days = bytes[8..<12].reduce(Int32(0)) { ($0 << 8) | Int32($1) }
            let months = bytes[12..<16].reduce(Int32(0)) { ($0 << 8) | Int32($1) }
            return ValueText.interval(months: months, days: days, microseconds: micros)
        case PostgresType.numeric.oid: return try numeric(bytes)
        case PostgresType.bytea.oid: return "\\x" + ValueText.hex(bytes)
        case PostgresType.uuid.oid:
            guard bytes.count == 16 else { throw Invalid(message: "invalid uuid length \(bytes.count)") }
            let hex = ValueText.hex(bytes).lowercased()
            let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { r in
                String(hex[hex.index(hex.startIndex, offsetBy: r.lowerBound)..<hex.index(hex.startIndex, offsetBy: r.upperBound)])
            }
            return parts.joined(separator: "-")
        case PostgresType.jsonb.oid:
            // jsonb's binary form is a version byte (1) and the JSON text.
            guard bytes.first == 1 else { throw Invalid(message: "unsupported jsonb version number \(bytes.first ?? 0)") }
            return try utf8(Array(bytes.dropFirst()))
        default:
            if let type = PostgresType.withOID(oid), type.category == "A", type.elementOID != 0 {
                return try array(bytes, elementOID: type.elementOID)
            }
            // text, varchar, bpchar, name, json, unknown: the bytes are the text.
            return try utf8(bytes)
        }
    }

    /// array_send's form: dimensions, a has-nulls flag, the element type, each dimension's
    /// length and lower bound, then every element as a length (-1: NULL) and its bytes.
    /// Turned into array text (`{1,NULL,3}`, `{{1,2},{3,4}}`), the form the engine binds.
    /// Elements an array parameter may have (its text is held whole while binding).
    public static let maximumElements = 1 << 20

    static func array(_ bytes: [UInt8], elementOID: Int32) throws(Invalid) -> String {
        var at = 0
        func int32() throws(Invalid) -> Int32 {
            guard at + 4 <= bytes.count else { throw Invalid(message: "insufficient data left in message") }
            defer { at += 4 }
            return bytes[at..<at + 4].reduce(Int32(0)) { ($0 << 8) | Int32($1) }
        }
        let dimensions = try int32()
        _ = try int32()  // has nulls: every element says so itself
        let oid = try int32()
        guard dimensions >= 0, dimensions <= 6 else {
            throw Invalid(message: "number of array dimensions (\(dimensions)) exceeds the maximum allowed (6)")
        }
        // The element type must be the array's own (as array_recv insists): an array of
        // arrays would decode recursively, once per nesting level the message describes.
        guard dimensions == 0 || oid == elementOID else { throw Invalid(message: "wrong element type") }
        var lengths: [Int] = []
        var total = 1
        for _ in 0..<dimensions {
            let length = try int32()
            _ = try int32()  // lower bound
            // Each element takes at least its 4-byte length: more than the message holds is a lie.
            guard length >= 0, total * Int(length) <= bytes.count / 4, total * Int(length) <= maximumElements else {
                throw Invalid(message: "invalid array dimensions: at most \(maximumElements) elements")
            }
            lengths.append(Int(length))
            total *= Int(length)
        }
        if dimensions == 0 || total == 0 { return "{}" }
        var elements: [String?] = []
        for _ in 0..<total {
            let length = try int32()
            if length == -1 { elements.append(nil); continue }
            guard length >= 0, at + Int(length) <= bytes.count else { throw Invalid(message: "insufficient data left in message") }
            elements.append(try decode(Array(bytes[at..<at + Int(length)]), oid: oid))
            at += Int(length)
        }
        guard at == bytes.count else { throw Invalid(message: "incorrect binary data format in array") }
        // Nested braces, innermost dimension last.
        func nest(_ dimension: Int, _ start: Int) -> (String, Int) {
            if dimension == lengths.count - 1 {
                let slice = elements[start..<start + lengths[dimension]]
                return (ArrayText.format(Array(slice)), start + lengths[dimension])
            }
            var parts: [String] = []
            var next = start
            for _ in 0..<lengths[dimension] {
                let (text, after) = nest(dimension + 1, next)
                parts.append(text)
                next = after
            }
            return ("{" + parts.joined(separator: ",") + "}", next)
        }
        return nest(0, 0).0
    }

    static func utf8(_ bytes: [UInt8]) throws(Invalid) -> String {
        guard let s = String(validating: bytes, as: UTF8.self), !bytes.contains(0) else {
            throw Invalid(message: "invalid byte sequence for encoding \"UTF8\"")
        }
        return s
    }

    /// numeric's binary form: ndigits, weight, sign, dscale, base-10000 digits.
    static func numeric(_ bytes: [UInt8]) throws(Invalid) -> String {
        guard bytes.count >= 8 else { throw Invalid(message: "insufficient data left in message") }
        func int16(_ at: Int) -> Int { Int(Int16(bitPattern: UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1]))) }
        let ndigits = int16(0), weight = int16(2), sign = UInt16(bytes[4]) << 8 | UInt16(bytes[5]), dscale = int16(6)
        guard ndigits >= 0, dscale >= 0, dscale <= 1000, bytes.count == 8 + 2 * ndigits, abs(weight) <= 1000 else {
            throw Invalid(message: "invalid numeric binary value")
        }
        if sign == 0xC000 { return "NaN" }
        guard sign == 0 || sign == 0x4000 else { throw Invalid(message: "invalid sign in external \"numeric\" value") }
        var digits: [Int] = []
        for i in 0..<ndigits {
            let d = int16(8 + 2 * i)
            guard d >= 0, d < 10_000 else { throw Invalid(message: "invalid digit in external \"numeric\" value") }
            digits.append(d)
        }
        // Integer part: groups 0...weight; fraction: the rest, cut to dscale digits.
        var integer = ""
        if weight >= 0 {
            for g in 0...weight {
                let d = g < digits.count ? digits[g] : 0
                integer += g == 0 ? String(d) : String(repeating: "0", count: 4 - String(d).count) + String(d)
            }
        } else {
            integer = "0"
        }
        var fraction = ""
        var g = weight + 1
        while fraction.count < dscale {
            let d = g >= 0 && g < digits.count ? digits[g] : 0
            fraction += String(repeating: "0", count: 4 - String(d).count) + String(d)
            g += 1
        }
        fraction = String(fraction.prefix(dscale))
        let text = fraction.isEmpty ? integer : integer + "." + fraction
        return sign == 0x4000 ? "-" + text : text
    }
}
