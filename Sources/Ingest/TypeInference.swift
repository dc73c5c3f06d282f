import Columnar

/// Infers a column's type from sample values (text), narrowest first:
/// boolean, bigint, decimal(p,s) (the largest integer part and scale seen),
/// double, date, timestamp (timestamptz when every value carries an offset),
/// else varchar. Numbers with thousands separators ("1,234.50") count as
/// numbers when every grouped value is well formed; integers with leading
/// zeros ("007", zip codes, ids) stay text so no digit is lost.
struct TypeGuess: Sendable {
    private(set) var values = 0
    var canBool = true, canInt = true, canDecimal = true, canDouble = true, canDate = true, canTimestamp = true
    private var integerDigits = 1, scale = 0
    private var sawGrouped = false
    private var sawOffset = false, sawNaive = false
    private var sawTime = false
    /// Evidence for `A/B/YYYY` dates.
    private var dayFirstEvidence = false, monthFirstEvidence = false
    private var anyAmbiguousSlash = false

    mutating func observe(_ s: UnsafeRawBufferPointer) {
        values += 1
        if canBool && TextValues.boolean(s, lenient: false) == nil { canBool = false }
        let first = s.first ?? 0
        let numeric = TextValues.isDigit(first) || first == 45 || first == 43 || first == 46
        if canInt || canDecimal || canDouble {
            if !numeric || hasLeadingZero(s) {
                // Leading zeros ("007", zip codes) are identifiers: keep every digit as text.
                canInt = false; canDecimal = false
                if !numeric || hasLeadingZero(s) || TextValues.double(s) == nil { canDouble = false }
            } else {
                if canInt {
                    if TextValues.int64(s) == nil {
                        if TextValues.int64(s, thousands: 44) != nil { sawGrouped = true } else { canInt = false }
                    }
                }
                if canDecimal {
                    var d = TextValues.decimalText(s)
                    if d == nil, let g = TextValues.decimalText(s, thousands: 44) { d = g; sawGrouped = true }
                    if let d {
                        integerDigits = max(integerDigits, d.integerDigits)
                        scale = max(scale, d.scale)
                        if integerDigits + scale > 38 { canDecimal = false }
                    } else {
                        canDecimal = false
                    }
                }
                if canDouble && TextValues.double(s) == nil && TextValues.double(s, thousands: 44) == nil { canDouble = false }
            }
        }
        if canDate || canTimestamp {
            var end = 0
            if let d = TextValues.civilDate(s, order: nil, end: &end) {
                if d.firstOver12 { dayFirstEvidence = true }
                if d.secondOver12 { monthFirstEvidence = true }
                if d.ambiguous { anyAmbiguousSlash = true }
                if end != s.count { canDate = false }
                if canTimestamp {
                    if let t = TextValues.timestamp(s, order: .monthFirst) {
                        if t.hasOffset { sawOffset = true } else { sawNaive = true }
                        if end != s.count { sawTime = true }
                    } else if let t = TextValues.timestamp(s, order: .dayFirst) {
                        if t.hasOffset { sawOffset = true } else { sawNaive = true }
                        if end != s.count { sawTime = true }
                    } else {
                        canTimestamp = false
                    }
                }
                if dayFirstEvidence && monthFirstEvidence { canDate = false; canTimestamp = false }
            } else {
                canDate = false; canTimestamp = false
            }
        }
    }

    private func hasLeadingZero(_ s: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        if i < s.count && (s[i] == 45 || s[i] == 43) { i += 1 }
        return i + 1 < s.count && s[i] == 48 && TextValues.isDigit(s[i + 1])
    }

    /// How `A/B/YYYY` dates of this column read.
    var dayOrder: TextValues.DayOrder { dayFirstEvidence ? .dayFirst : .monthFirst }

    /// Whether numbers of this column may carry thousands separators.
    var thousands: Bool { sawGrouped }

    /// The inferred type (varchar when no value was seen).
    var type: DataType {
        guard values > 0 else { return .string }
        if canBool { return .boolean }
        if canInt { return .int64 }
        if canDecimal {
            if scale == 0 { return integerDigits <= 18 ? .int64 : .decimal(precision: min(38, integerDigits), scale: 0) }
            return .decimal(precision: min(38, max(integerDigits + scale, 1)), scale: scale)
        }
        if canDouble { return .float64 }
        if canDate { return .date32 }
        if canTimestamp {
            if sawOffset && !sawNaive { return .timestamp(.microsecond, utc: true) }
            if !sawOffset { return .timestamp(.microsecond, utc: false) }
        }
        return .string
    }

    /// Combines the guesses of one column over several inputs.
    mutating func merge(_ o: TypeGuess) {
        values += o.values
        canBool = canBool && o.canBool; canInt = canInt && o.canInt; canDecimal = canDecimal && o.canDecimal
        canDouble = canDouble && o.canDouble; canDate = canDate && o.canDate; canTimestamp = canTimestamp && o.canTimestamp
        integerDigits = max(integerDigits, o.integerDigits); scale = max(scale, o.scale)
        if integerDigits + scale > 38 { canDecimal = false }
        sawGrouped = sawGrouped || o.sawGrouped
        sawOffset = sawOffset || o.sawOffset; sawNaive = sawNaive || o.sawNaive; sawTime = sawTime || o.sawTime
        dayFirstEvidence = dayFirstEvidence || o.dayFirstEvidence; monthFirstEvidence = monthFirstEvidence || o.monthFirstEvidence
        if dayFirstEvidence && monthFirstEvidence { canDate = false; canTimestamp = false }
    }
}
