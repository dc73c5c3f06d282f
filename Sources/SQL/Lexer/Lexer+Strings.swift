/// String constants and quoted identifiers (PostgreSQL documentation, 4.1.2):
///
/// - `'...'`: standard-conforming; `''` is a quote, backslashes are literal. Two
///   constants separated only by whitespace containing a newline are one constant.
/// - `E'...'`: C-like escapes `\b \f \n \r \t`, `\o`..`\ooo` (octal), `\xh`/`\xhh`
///   (hex), `\uXXXX`, `\UXXXXXXXX`; any other escaped character stands for itself.
/// - `U&'...'` / `U&"..."`: `\XXXX` and `\+XXXXXX` code points, `\\` (no UESCAPE).
/// - `$tag$...$tag$`: no escapes at all; the tag may be empty.
/// - `"..."`: identifier, `""` is a quote; may not be empty.
extension Lexer {
    mutating func standardString(from start: Int) throws(Failure) -> String {
        var value: [UInt8] = []
        index += 1
        while true {
            guard index < bytes.count else { throw Failure(message: "unterminated quoted string", start: start, end: bytes.count) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "'") {
                if closesString(appendingTo: &value) { return String(decoding: value, as: UTF8.self) }
                continue
            }
            value.append(byte)
            index += 1
        }
    }

    /// At a `'` inside a string constant: `''` adds one quote, a quote continued on a
    /// later line (`'a'\n'b'`) goes on after the next quote; otherwise the constant
    /// ends here. Returns whether it ended; `index` is past what was consumed.
    mutating func closesString(appendingTo value: inout [UInt8]) -> Bool {
        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'") {
            value.append(UInt8(ascii: "'"))
            index += 2
            return false
        }
        index += 1
        if let quote = continuationQuote() {
            index = quote + 1
            return false
        }
        return true
    }

    /// After a closing quote: the offset of the quote that continues the constant, if
    /// only whitespace with at least one newline (and `--` comments) lies between.
    func continuationQuote() -> Int? {
        var i = index
        var sawNewline = false
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x0A || byte == 0x0D {
                sawNewline = true
                i += 1
            } else if byte == 0x20 || byte == 0x09 || byte == 0x0C || byte == 0x0B {
                i += 1
            } else if byte == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "-") {
                while i < bytes.count, bytes[i] != 0x0A, bytes[i] != 0x0D { i += 1 }
            } else {
                return sawNewline && byte == UInt8(ascii: "'") ? i : nil
            }
        }
        return nil
    }

    /// `E'...'`; `index` is at the opening quote.
    mutating func escapeString(from start: Int) throws(Failure) -> String {
        var value: [UInt8] = []
        index += 1
        while true {
            guard index < bytes.count else { throw Failure(message: "unterminated quoted string", start: start, end: bytes.count) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "'") {
                if closesString(appendingTo: &value) { break }
                continue
            }
            if byte != UInt8(ascii: "\\") {
                value.append(byte)
                index += 1
                continue
            }
            let escapeStart = index
            index += 1
            guard index < bytes.count else { throw Failure(message: "unterminated quoted string", start: start, end: bytes.count) }
            let escaped = bytes[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "b"): value.append(0x08)
            case UInt8(ascii: "f"): value.append(0x0C)
            case UInt8(ascii: "n"): value.append(0x0A)
            case UInt8(ascii: "r"): value.append(0x0D)
            case UInt8(ascii: "t"): value.append(0x09)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var code = UInt32(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "7") {
                    code = code * 8 + UInt32(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                value.append(UInt8(truncatingIfNeeded: code))
            case UInt8(ascii: "x") where index < bytes.count && hexValue(bytes[index]) != nil:
                var code = UInt32(hexValue(bytes[index])!)
                index += 1
                if index < bytes.count, let digit = hexValue(bytes[index]) {
                    code = code * 16 + UInt32(digit)
                    index += 1
                }
                value.append(UInt8(code))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let count = escaped == UInt8(ascii: "u") ? 4 : 8
                var code = try hexDigits(count, escapeStart: escapeStart)
                if (0xD800...0xDBFF).contains(code) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                          bytes[index + 1] == UInt8(ascii: "u") || bytes[index + 1] == UInt8(ascii: "U") else {
                        throw Failure(message: "invalid Unicode surrogate pair", start: escapeStart, end: index)
                    }
                    let lowStart = index
                    index += 2
                    let low = try hexDigits(bytes[lowStart + 1] == UInt8(ascii: "u") ? 4 : 8, escapeStart: lowStart)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw Failure(message: "invalid Unicode surrogate pair", start: escapeStart, end: index)
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                try appendScalar(code, to: &value, escapeStart: escapeStart)
            default:
                value.append(escaped)
            }
        }
        return try validUTF8(value, start: start)
    }

    /// `U&'...'` or `U&"..."`; `index` is at the opening quote.
    mutating func unicodeEscaped(from start: Int) throws(Failure) -> String {
        let quote = bytes[index]
        let what = quote == UInt8(ascii: "'") ? "unterminated quoted string" : "unterminated quoted identifier"
        var value: [UInt8] = []
        index += 1
        while true {
            guard index < bytes.count else { throw Failure(message: what, start: start, end: bytes.count) }
            let byte = bytes[index]
            if byte == quote {
                if index + 1 < bytes.count, bytes[index + 1] == quote {
                    value.append(byte)
                    index += 2
                    continue
                }
                index += 1
                break
            }
            guard byte == UInt8(ascii: "\\") else {
                value.append(byte)
                index += 1
                continue
            }
            let escapeStart = index
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "\\") {
                value.append(UInt8(ascii: "\\"))
                index += 1
                continue
            }
            let count: Int
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") {
                index += 1
                count = 6
            } else {
                count = 4
            }
            let code = try hexDigits(count, escapeStart: escapeStart)
            try appendScalar(code, to: &value, escapeStart: escapeStart)
        }
        if quote == UInt8(ascii: "\""), value.isEmpty {
            throw Failure(message: "zero-length delimited identifier", start: start, end: index)
        }
        return try validUTF8(value, start: start)
    }

    /// `"..."`; `index` is at the opening quote.
    mutating func quotedIdentifier(from start: Int) throws(Failure) -> String {
        var value: [UInt8] = []
        index += 1
        while true {
            guard index < bytes.count else { throw Failure(message: "unterminated quoted identifier", start: start, end: bytes.count) }
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") {
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                    value.append(byte)
                    index += 1
                    continue
                }
                break
            }
            value.append(byte)
        }
        if value.isEmpty { throw Failure(message: "zero-length delimited identifier", start: start, end: index) }
        return String(decoding: value, as: UTF8.self)
    }

    /// `$n` (parameter), `$tag$...$tag$` (dollar quoting) or a lone `$`.
    mutating func dollar(from start: Int) throws(Failure) {
        index += 1
        if index < bytes.count, isDigit(bytes[index]) {
            try parameter(from: start)
            return
        }
        var tagEnd = index
        if tagEnd < bytes.count, isIdentifierStart(bytes[tagEnd]) {
            tagEnd += 1
            while tagEnd < bytes.count, isIdentifierStart(bytes[tagEnd]) || isDigit(bytes[tagEnd]) { tagEnd += 1 }
        }
        guard tagEnd < bytes.count, bytes[tagEnd] == UInt8(ascii: "$") else {
            append(.symbol, "$", from: start)
            return
        }
        let delimiter = Array(bytes[start...tagEnd])
        index = tagEnd + 1
        let bodyStart = index
        while index + delimiter.count <= bytes.count {
            if bytes[index] == UInt8(ascii: "$"), bytes[index..<index + delimiter.count].elementsEqual(delimiter) {
                let body = String(decoding: bytes[bodyStart..<index], as: UTF8.self)
                index += delimiter.count
                append(.string, body, from: start)
                return
            }
            index += 1
        }
        throw Failure(message: "unterminated dollar-quoted string", start: start, end: bytes.count)
    }

    // MARK: escape helpers

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private mutating func hexDigits(_ count: Int, escapeStart: Int) throws(Failure) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<count {
            guard index < bytes.count, let digit = hexValue(bytes[index]) else {
                throw Failure(message: "invalid Unicode escape", start: escapeStart, end: index)
            }
            code = code &* 16 &+ UInt32(digit)
            index += 1
        }
        return code
    }

    private func appendScalar(_ code: UInt32, to value: inout [UInt8], escapeStart: Int) throws(Failure) {
        guard code != 0, let scalar = Unicode.Scalar(code) else {
            throw Failure(message: "invalid Unicode escape value", start: escapeStart, end: index)
        }
        value.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    /// Octal and hex escapes produce raw bytes; like PostgreSQL, reject what is not UTF-8 (and NUL).
    private func validUTF8(_ value: [UInt8], start: Int) throws(Failure) -> String {
        var iterator = value.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar) where scalar.value != 0: continue
            case .emptyInput: return String(decoding: value, as: UTF8.self)
            default: throw Failure(message: "invalid byte sequence for encoding \"UTF8\"", start: start, end: index)
            }
        }
    }
}
