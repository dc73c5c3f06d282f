/// Parsing field text into typed values, straight from the input's bytes (no
/// `String` on the hot path). Each parser returns nil when the text is not a
/// value of its type; callers turn that into a record error naming the input
/// position. Shared by schema inference (does every sample value parse?) and
/// conversion (parse each value into its column).
enum TextValues {
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }

    // MARK: integers

    /// `[+-]?digits` (or digit groups of three separated by `thousands`, e.g.
    /// "1,234,567", when a separator is given) that fits Int64.
    @inline(__always)
    static func int64(_ s: UnsafeRawBufferPointer, thousands: UInt8? = nil) -> Int64? {
        var i = 0
        let n = s.count
        guard n > 0 else { return nil }
        var negative = false
        if s[0] == 45 || s[0] == 43 { negative = s[0] == 45; i = 1 }
        guard i < n else { return nil }
        var value: UInt64 = 0
        var digits = 0
        var group = -1  // digits since the last separator (-1: none seen)
        while i < n {
            let c = s[i]
            if isDigit(c) {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(c &- 48))
                if o1 || o2 { return nil }
                value = a
                digits += 1
                if group >= 0 { group += 1 }
            } else if let t = thousands, c == t, digits > 0, (group == -1 ? digits <= 3 : group == 3) {
                group = 0
            } else {
                return nil
            }
            i += 1
        }
        if digits == 0 || group == 0 || (group > 0 && group != 3) { return nil }
        if negative {
            guard value <= UInt64(Int64.max) + 1 else { return nil }
            return value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value)
        }
        guard value <= UInt64(Int64.max) else { return nil }
        return Int64(value)
    }

    // MARK: decimals

    /// The digits of a plain decimal number: sign, integer digits, fraction digits.
    struct DecimalText {
        var negative: Bool
        /// All significant digits as an integer (at most 38 digits).
        var unscaled: Int128
        var integerDigits: Int
        var scale: Int
    }

    /// `[+-]?digits[.digits]` or `[+-]?.digits` (thousands groups allowed in the
    /// integer part when `thousands` is given); at most 38 digits.
    static func decimalText(_ s: UnsafeRawBufferPointer, thousands: UInt8? = nil) -> DecimalText? {
        let n = s.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if s[0] == 45 || s[0] == 43 { negative = s[0] == 45; i = 1 }
        var unscaled: Int128 = 0
        var intDigits = 0, intSignificant = 0, significant = 0, scale = 0
        var group = -1  // digits since the last thousands separator (-1: none seen)
        var seenPoint = false, anyDigit = false
        while i < n {
            let c = s[i]
            if isDigit(c) {
                anyDigit = true
                if seenPoint {
                    scale += 1
                } else {
                    intDigits += 1
                    if intSignificant > 0 || c != 48 { intSignificant += 1 }
                    if group >= 0 { group += 1; if group > 3 { return nil } }
                }
                if significant > 0 || c != 48 { significant += 1 }
                if significant > 38 { return nil }
                unscaled = unscaled &* 10 &+ Int128(c &- 48)
            } else if c == 46 && !seenPoint {
                if group >= 0 && group != 3 { return nil }
                seenPoint = true
            } else if let t = thousands, c == t, !seenPoint, group == -1 ? (intDigits >= 1 && intDigits <= 3) : group == 3 {
                group = 0
            } else {
                return nil
            }
            i += 1
        }
        guard anyDigit else { return nil }
        if !seenPoint && group >= 0 && group != 3 { return nil }
        return DecimalText(negative: negative, unscaled: negative ? -unscaled : unscaled, integerDigits: intSignificant, scale: scale)
    }

    /// The common case on the hot path: `[+-]digits[.digits]` with at most
    /// `scale` fraction digits and at most 17 digits, straight into Int64
    /// (nil sends the caller to the general `decimal`).
    @inline(__always)
    static func decimal64(_ s: UnsafeRawBufferPointer, scale: Int) -> Int64? {
        let n = s.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if s[0] == 45 || s[0] == 43 { negative = s[0] == 45; i = 1 }
        var v: Int64 = 0
        var digits = 0
        var fraction = -1
        while i < n {
            let c = s[i]
            if isDigit(c) {
                if fraction >= 0 {
                    if fraction == scale { return nil }
                    fraction += 1
                }
                v = v &* 10 &+ Int64(c &- 48)
                digits += 1
                if digits > 17 { return nil }
            } else if c == 46 && fraction < 0 {
                fraction = 0
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        var f = max(fraction, 0)
        while f < scale { v = v &* 10; f += 1 }
        return negative ? -v : v
    }

    /// `YYYY-MM-DD` exactly (the common case), else nil.
    @inline(__always)
    static func isoDate(_ s: UnsafeRawBufferPointer) -> Int32? {
        guard s.count == 10, s[4] == 45, s[7] == 45 else { return nil }
        var y = 0, m = 0, d = 0
        for k in 0..<4 { let c = s[k]; guard isDigit(c) else { return nil }; y = y * 10 + Int(c &- 48) }
        for k in 5..<7 { let c = s[k]; guard isDigit(c) else { return nil }; m = m * 10 + Int(c &- 48) }
        for k in 8..<10 { let c = s[k]; guard isDigit(c) else { return nil }; d = d * 10 + Int(c &- 48) }
        guard m >= 1 && m <= 12 && d >= 1 && d <= daysIn(month: m, year: y) else { return nil }
        return Int32(days(year: y, month: m, day: d))
    }

    /// The value scaled to `scale` digits after the point (rounded half away
    /// from zero when the text has more), nil when it needs more than `precision` digits.
    static func decimal(_ s: UnsafeRawBufferPointer, precision: Int, scale: Int, thousands: UInt8? = nil) -> Int128? {
        guard let d = decimalText(s, thousands: thousands) else { return nil }
        var v = d.unscaled
        if d.scale < scale {
            for _ in d.scale..<scale {
                let (m, o) = v.multipliedReportingOverflow(by: 10)
                if o { return nil }
                v = m
            }
        } else if d.scale > scale {
            var dropped: Int128 = 0
            for _ in scale..<d.scale {
                dropped = v % 10
                v /= 10
            }
            // Round half away from zero on the last dropped digit (earlier ones only decide ties, rarely relevant).
            if dropped >= 5 { v += 1 } else if dropped <= -5 { v -= 1 }
        }
        let limit = pow10(precision)
        guard v < limit && v > -limit else { return nil }
        return v
    }

    static func pow10(_ n: Int) -> Int128 {
        var r: Int128 = 1
        for _ in 0..<min(n, 38) { r *= 10 }
        return r
    }

    // MARK: floating point

    /// A decimal or scientific number, "inf"/"infinity"/"nan" (any case, signed).
    static func double(_ s: UnsafeRawBufferPointer, thousands: UInt8? = nil) -> Double? {
        guard s.count > 0, s.count < 400 else { return nil }
        // Fast exact path: up to 15 significant digits and no exponent.
        if let d = decimalText(s, thousands: thousands), d.integerDigits + d.scale <= 15, d.scale <= 22 {
            return Double(Int64(d.unscaled)) / exactPowers[d.scale]
        }
        var text = String(decoding: s, as: UTF8.self)
        if let t = thousands, text.utf8.contains(t) {
            guard decimalText(s, thousands: t) != nil else { return nil }
            text.removeAll { $0 == Character(Unicode.Scalar(t)) }
        }
        // Double(String) accepts hex floats and such; allow only digits, sign, point, exponent and the named values.
        let lower = text.lowercased()
        let named = ["inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan"]
        if !named.contains(lower) {
            guard lower.utf8.allSatisfy({ isDigit($0) || $0 == 46 || $0 == 43 || $0 == 45 || $0 == 101 }) else { return nil }
        }
        return Double(lower)
    }

    static let exactPowers: [Double] = (0...22).map { p in var v = 1.0; for _ in 0..<p { v *= 10 }; return v }

    /// Whether the text is a number in scientific notation (inference: double, not decimal).
    static func isScientific(_ s: UnsafeRawBufferPointer) -> Bool {
        s.contains(101) || s.contains(69)
    }

    // MARK: booleans

    /// true/false (any case); with `lenient`, also t/f, yes/no, y/n, 1/0, on/off.
    static func boolean(_ s: UnsafeRawBufferPointer, lenient: Bool) -> Bool? {
        guard s.count <= 5, s.count > 0 else { return nil }
        var w: UInt64 = 0
        for c in s { w = w << 8 | UInt64(c | (c >= 65 && c <= 90 ? 0x20 : 0)) }
        switch w {
        case 0x74727565: return true  // "true"
        case 0x66616c7365: return false  // "false"
        default: break
        }
        guard lenient else { return nil }
        switch w {
        case 0x74, 0x79, 0x796573, 0x31, 0x6f6e: return true  // t y yes 1 on
        case 0x66, 0x6e, 0x6e6f, 0x30, 0x6f6666: return false  // f n no 0 off
        default: return nil
        }
    }

    // MARK: dates and timestamps

    /// How ambiguous `A/B/YYYY` dates are read.
    enum DayOrder: Sendable { case monthFirst, dayFirst }

    /// A date's fields and where its text ended.
    struct CivilDate {
        var year: Int, month: Int, day: Int
        /// True when the text was `A/B/YYYY` with A and B both at most 12.
        var ambiguous: Bool
        /// Evidence from `A/B/YYYY`: A > 12 means day first; B > 12 means month first.
        var firstOver12: Bool, secondOver12: Bool
    }

    /// Reads up to 4 digits at `i`; nil when none.
    @inline(__always)
    private static func number(_ s: UnsafeRawBufferPointer, _ i: inout Int, maxDigits: Int) -> (value: Int, digits: Int)? {
        var v = 0, d = 0
        while i < s.count && d < maxDigits && isDigit(s[i]) { v = v * 10 + Int(s[i] &- 48); i += 1; d += 1 }
        return d == 0 ? nil : (v, d)
    }

    /// A date at the start of `s`: `YYYY-MM-DD`, `YYYY/MM/DD`, `A/B/YYYY`,
    /// `A-B-YYYY` or `DD.MM.YYYY`; `end` is where it stopped.
    static func civilDate(_ s: UnsafeRawBufferPointer, order: DayOrder?, end: inout Int) -> CivilDate? {
        var i = 0
        guard let a = number(s, &i, maxDigits: 4), i < s.count else { return nil }
        let sep = s[i]
        guard sep == 45 || sep == 47 || sep == 46 else { return nil }
        i += 1
        guard let b = number(s, &i, maxDigits: 2), i < s.count, s[i] == sep else { return nil }
        i += 1
        guard let c = number(s, &i, maxDigits: 4) else { return nil }
        end = i
        var date: CivilDate
        if a.digits == 4 {
            guard sep != 46, c.digits <= 2 else { return nil }
            date = CivilDate(year: a.value, month: b.value, day: c.value, ambiguous: false, firstOver12: false, secondOver12: false)
        } else {
            guard a.digits <= 2, c.digits == 4 else { return nil }
            if sep == 46 {
                date = CivilDate(year: c.value, month: b.value, day: a.value, ambiguous: false, firstOver12: false, secondOver12: false)
            } else {
                let dayFirst = order == .dayFirst || (order == nil && a.value > 12)
                date = CivilDate(year: c.value, month: dayFirst ? b.value : a.value, day: dayFirst ? a.value : b.value,
                                 ambiguous: a.value <= 12 && b.value <= 12, firstOver12: a.value > 12, secondOver12: b.value > 12)
            }
        }
        guard date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= daysIn(month: date.month, year: date.year) else {
            return nil
        }
        return date
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// A whole field that is a date.
    static func date(_ s: UnsafeRawBufferPointer, order: DayOrder) -> Int32? {
        var end = 0
        guard let d = civilDate(s, order: order, end: &end), end == s.count else { return nil }
        return Int32(days(year: d.year, month: d.month, day: d.day))
    }

    /// A timestamp: a date, then 'T' or ' ', `HH:MM[:SS[.fraction]]`, then
    /// optionally 'Z', `+HH[:MM]` or `-HH[:MM]` (or " UTC"). Returns
    /// microseconds since the epoch (UTC when an offset was given) and whether
    /// an offset was given. A bare date reads as midnight.
    static func timestamp(_ s: UnsafeRawBufferPointer, order: DayOrder) -> (micros: Int64, hasOffset: Bool)? {
        var i = 0
        guard let d = civilDate(s, order: order, end: &i) else { return nil }
        var micros = Int64(days(year: d.year, month: d.month, day: d.day)) * 86_400_000_000
        if i == s.count { return (micros, false) }
        guard s[i] == 84 || s[i] == 32 || s[i] == 116 else { return nil }
        i += 1
        guard let time = timeOfDay(s, &i) else { return nil }
        micros += time
        if i == s.count { return (micros, false) }
        // Offset.
        if s[i] == 32 { i += 1 }
        guard i < s.count else { return nil }
        if (s[i] == 90 || s[i] == 122) && i + 1 == s.count { return (micros, true) }
        if s.count - i == 3, s[i] | 0x20 == 117, s[i + 1] | 0x20 == 116, s[i + 2] | 0x20 == 99 { return (micros, true) }
        guard s[i] == 43 || s[i] == 45 else { return nil }
        let sign: Int64 = s[i] == 45 ? -1 : 1
        i += 1
        guard let hh = number(s, &i, maxDigits: 2), hh.digits == 2, hh.value <= 18 else { return nil }
        var mm = 0
        if i < s.count {
            if s[i] == 58 { i += 1 }
            guard let m = number(s, &i, maxDigits: 2), m.digits == 2, m.value < 60 else { return nil }
            mm = m.value
        }
        guard i == s.count else { return nil }
        micros -= sign * Int64(hh.value * 3600 + mm * 60) * 1_000_000
        return (micros, true)
    }

    /// `HH:MM[:SS[.fraction]]` at `i` in microseconds.
    static func timeOfDay(_ s: UnsafeRawBufferPointer, _ i: inout Int) -> Int64? {
        guard let h = number(s, &i, maxDigits: 2), h.value < 24, i < s.count, s[i] == 58 else { return nil }
        i += 1
        guard let m = number(s, &i, maxDigits: 2), m.digits == 2, m.value < 60 else { return nil }
        var sec = 0
        var frac: Int64 = 0
        if i < s.count && s[i] == 58 {
            i += 1
            guard let sv = number(s, &i, maxDigits: 2), sv.digits == 2, sv.value < 61 else { return nil }
            sec = sv.value
            if i < s.count && (s[i] == 46 || s[i] == 44) {
                i += 1
                var digits = 0
                while i < s.count && isDigit(s[i]) {
                    if digits < 6 { frac = frac * 10 + Int64(s[i] &- 48) }
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                for _ in min(digits, 6)..<6 { frac *= 10 }
            }
        }
        return Int64(h.value * 3600 + m.value * 60 + sec) * 1_000_000 + frac
    }

    /// A whole field that is a time of day, in microseconds.
    static func time(_ s: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        guard let t = timeOfDay(s, &i), i == s.count else { return nil }
        return t
    }

    // MARK: text

    /// Whether `s` is valid UTF-8 (no overlongs, surrogates or values past U+10FFFF).
    static func isValidUTF8(_ s: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = s.count
        while i < n {
            // Eight ASCII bytes at a time.
            if i + 8 <= n && s.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            let c = s[i]
            if c < 0x80 { i += 1; continue }
            var need = 0
            var minimum: UInt32 = 0
            var scalar: UInt32
            if c & 0xE0 == 0xC0 { need = 1; minimum = 0x80; scalar = UInt32(c & 0x1F) }
            else if c & 0xF0 == 0xE0 { need = 2; minimum = 0x800; scalar = UInt32(c & 0x0F) }
            else if c & 0xF8 == 0xF0 { need = 3; minimum = 0x10000; scalar = UInt32(c & 0x07) }
            else { return false }
            guard i + need < n else { return false }
            for k in 1...need {
                let cc = s[i + k]
                guard cc & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(cc & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
            i += need + 1
        }
        return true
    }

    /// Byte offset of the first invalid UTF-8 sequence (for error messages).
    static func firstInvalidUTF8(_ s: UnsafeRawBufferPointer) -> Int {
        for end in 0...s.count where !isValidUTF8(UnsafeRawBufferPointer(rebasing: s[0..<end])) {
            return max(0, end - 4)
        }
        return 0
    }
}
