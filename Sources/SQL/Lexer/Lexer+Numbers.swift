/// Numeric constants and parameters (scan.l, PostgreSQL 16):
///
///     decinteger  {digit}(_?{digit})*
///     hexinteger  0[xX](_?{hexdigit})+      (also 0o octal, 0b binary)
///     numeric     {decinteger}\.{decinteger}? | \.{decinteger}
///     real        ({decinteger}|{numeric})[Ee][-+]?{decinteger}
///     param       \${decinteger}
///
/// A number directly followed by an identifier character is "trailing junk" (an
/// error since PostgreSQL 15), and `1..2` is the integer 1 followed by `..`.
/// Integers keep only their digits; non-decimal ones are converted to decimal.
extension Lexer {
    mutating func number(from start: Int) throws(Failure) {
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count,
           let radix = radix(of: bytes[index + 1]) {
            try nonDecimalInteger(from: start, radix: radix)
            return
        }
        var text: [UInt8] = []
        var isDecimal = false
        if bytes[index] != UInt8(ascii: ".") {
            try digits(into: &text, start: start)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "."),
           !(index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: ".")) {
            isDecimal = true
            text.append(UInt8(ascii: "."))
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { try digits(into: &text, start: start) }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            var j = index + 1
            if j < bytes.count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
            if j < bytes.count, isDigit(bytes[j]) {
                text.append(contentsOf: bytes[index..<j])
                index = j
                try digits(into: &text, start: start)
                isDecimal = true
            } else if j > index + 1 {
                throw Failure(message: "trailing junk after numeric literal", start: start, end: j)
            }
        }
        try rejectJunk(after: start, what: "numeric literal")
        append(isDecimal ? .decimal : .integer, String(decoding: text, as: UTF8.self), from: start)
    }

    /// `$n`; `index` is at the first digit.
    mutating func parameter(from start: Int) throws(Failure) {
        var text: [UInt8] = []
        try digits(into: &text, start: start)
        try rejectJunk(after: start, what: "parameter")
        guard text.count <= 10, let number = Int(String(decoding: text, as: UTF8.self)), number <= Int(Int32.max) else {
            throw Failure(message: "parameter number too large", start: start, end: index)
        }
        append(.parameter, String(number), from: start)
    }

    /// Decimal digits with single underscores between them (dropped from the text).
    private mutating func digits(into text: inout [UInt8], start: Int) throws(Failure) {
        while index < bytes.count {
            let byte = bytes[index]
            if isDigit(byte) {
                text.append(byte)
                index += 1
            } else if byte == UInt8(ascii: "_"), index + 1 < bytes.count, isDigit(bytes[index + 1]) {
                index += 1
            } else {
                return
            }
        }
    }

    private func radix(of byte: UInt8) -> Int? {
        switch byte | 0x20 {
        case UInt8(ascii: "x"): return 16
        case UInt8(ascii: "o"): return 8
        case UInt8(ascii: "b"): return 2
        default: return nil
        }
    }

    private mutating func nonDecimalInteger(from start: Int, radix: Int) throws(Failure) {
        index += 2
        var values: [Int] = []
        while index < bytes.count {
            let byte = bytes[index]
            if let value = digitValue(byte), value < radix {
                values.append(value)
                index += 1
            } else if byte == UInt8(ascii: "_"), index + 1 < bytes.count, let next = digitValue(bytes[index + 1]), next < radix {
                index += 1
            } else {
                break
            }
        }
        if values.isEmpty { throw Failure(message: "trailing junk after numeric literal", start: start, end: index + 1) }
        try rejectJunk(after: start, what: "numeric literal")
        append(.integer, Self.decimalText(of: values, radix: radix), from: start)
    }

    private func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    /// Base conversion on a little-endian array of decimal digits, so any length works.
    static func decimalText(of values: [Int], radix: Int) -> String {
        var decimal: [Int] = [0]
        for value in values {
            var carry = value
            for i in decimal.indices {
                let product = decimal[i] * radix + carry
                decimal[i] = product % 10
                carry = product / 10
            }
            while carry > 0 {
                decimal.append(carry % 10)
                carry /= 10
            }
        }
        while decimal.count > 1, decimal.last == 0 { decimal.removeLast() }
        return String(decimal.reversed().map { Character(String($0)) })
    }

    private mutating func rejectJunk(after start: Int, what: String) throws(Failure) {
        guard index < bytes.count, isIdentifierStart(bytes[index]) else { return }
        var end = index
        while end < bytes.count, isIdentifierContinuation(bytes[end]) { end += 1 }
        throw Failure(message: "trailing junk after \(what)", start: start, end: end)
    }
}
