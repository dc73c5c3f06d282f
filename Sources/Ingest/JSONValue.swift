/// One parsed JSON value (a line of NDJSON). Numbers keep their text so that
/// integers, decimals and doubles convert exactly into whichever column type
/// they land in.
indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(text: [UInt8], integral: Bool)
    case string([UInt8])
    case array([JSONValue])
    /// Members in document order; `offset` is where the value starts in the line (error columns).
    case object([JSONMember])

    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

struct JSONMember: Sendable {
    var key: String
    var value: JSONValue
    var offset: Int
}

struct JSONSyntaxError: Error, Sendable {
    var message: String
    /// Byte offset in the parsed text.
    var offset: Int
}

/// A strict JSON parser (RFC 8259) over bytes, with a nesting limit so no
/// input can overflow the stack.
struct JSONParser {
    private let s: UnsafeRawBufferPointer
    private(set) var i = 0
    private var depth = 0
    static let maxDepth = 100

    init(_ s: UnsafeRawBufferPointer) { self.s = s }

    /// The one value of the text (surrounding white space allowed).
    mutating func document() throws(JSONSyntaxError) -> JSONValue {
        skipSpace()
        let v = try value()
        skipSpace()
        guard i == s.count else { throw JSONSyntaxError(message: "unexpected text after the JSON value", offset: i) }
        return v
    }

    private mutating func skipSpace() {
        while i < s.count, s[i] == 32 || s[i] == 9 || s[i] == 10 || s[i] == 13 { i += 1 }
    }

    private func fail(_ message: String) -> JSONSyntaxError { JSONSyntaxError(message: message, offset: i) }

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        guard i < s.count else { throw fail("unexpected end of input, expected a value") }
        switch s[i] {
        case 123: return try object()
        case 91: return try array()
        case 34: return .string(try string())
        case 116: try literal("true"); return .bool(true)
        case 102: try literal("false"); return .bool(false)
        case 110: try literal("null"); return .null
        case 45, 48...57: return try number()
        default: throw fail("unexpected character \(describe(s[i])), expected a value")
        }
    }

    private func describe(_ c: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return c >= 32 && c < 127 ? "'\(Character(Unicode.Scalar(c)))'" : "0x\(hex[Int(c >> 4)])\(hex[Int(c & 15)])"
    }

    private mutating func literal(_ word: String) throws(JSONSyntaxError) {
        let w = Array(word.utf8)
        let n = w.count
        guard i + n <= s.count else { throw fail("unexpected end of input in a literal") }
        for k in 0..<n where s[i + k] != w[k] { throw fail("invalid literal, expected '\(word)'") }
        i += n
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nested more than \(Self.maxDepth) levels deep") }
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        var members: [JSONMember] = []
        skipSpace()
        if i < s.count && s[i] == 125 { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < s.count, s[i] == 34 else { throw fail("expected a member name in quotes") }
            let key = String(decoding: try string(), as: UTF8.self)
            skipSpace()
            guard i < s.count, s[i] == 58 else { throw fail("expected ':' after member name") }
            i += 1
            skipSpace()
            let offset = i
            members.append(JSONMember(key: key, value: try value(), offset: offset))
            skipSpace()
            guard i < s.count else { throw fail("unexpected end of input in an object") }
            if s[i] == 44 { i += 1; continue }
            if s[i] == 125 { i += 1; return .object(members) }
            throw fail("expected ',' or '}' in an object")
        }
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        var elements: [JSONValue] = []
        skipSpace()
        if i < s.count && s[i] == 93 { i += 1; return .array(elements) }
        while true {
            skipSpace()
            elements.append(try value())
            skipSpace()
            guard i < s.count else { throw fail("unexpected end of input in an array") }
            if s[i] == 44 { i += 1; continue }
            if s[i] == 93 { i += 1; return .array(elements) }
            throw fail("expected ',' or ']' in an array")
        }
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = i
        if s[i] == 45 { i += 1 }
        guard i < s.count, TextValues.isDigit(s[i]) else { throw fail("expected a digit") }
        if s[i] == 48 { i += 1 } else { while i < s.count && TextValues.isDigit(s[i]) { i += 1 } }
        var integral = true
        if i < s.count && s[i] == 46 {
            integral = false
            i += 1
            guard i < s.count, TextValues.isDigit(s[i]) else { throw fail("expected a digit after '.'") }
            while i < s.count && TextValues.isDigit(s[i]) { i += 1 }
        }
        if i < s.count && (s[i] == 101 || s[i] == 69) {
            integral = false
            i += 1
            if i < s.count && (s[i] == 43 || s[i] == 45) { i += 1 }
            guard i < s.count, TextValues.isDigit(s[i]) else { throw fail("expected a digit in the exponent") }
            while i < s.count && TextValues.isDigit(s[i]) { i += 1 }
        }
        return .number(text: Array(UnsafeRawBufferPointer(rebasing: s[start..<i])), integral: integral)
    }

    /// A string's UTF-8 bytes, escapes decoded; `i` at the opening quote.
    private mutating func string() throws(JSONSyntaxError) -> [UInt8] {
        i += 1
        var out: [UInt8] = []
        var runStart = i
        while true {
            guard i < s.count else { throw fail("unterminated string") }
            let c = s[i]
            if c == 34 { break }
            if c < 32 { throw fail("control character \(describe(c)) in a string (escape it)") }
            if c != 92 { i += 1; continue }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[runStart..<i]))
            i += 1
            guard i < s.count else { throw fail("unterminated escape") }
            switch s[i] {
            case 34: out.append(34)
            case 92: out.append(92)
            case 47: out.append(47)
            case 98: out.append(8)
            case 102: out.append(12)
            case 110: out.append(10)
            case 114: out.append(13)
            case 116: out.append(9)
            case 117:
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard i + 2 < s.count, s[i + 1] == 92, s[i + 2] == 117 else { throw fail("unpaired surrogate escape") }
                    i += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw fail("unpaired surrogate escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw fail("unpaired surrogate escape")
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default:
                throw fail("invalid escape '\\\(describe(s[i]))'")
            }
            i += 1
            runStart = i
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[runStart..<i]))
        i += 1
        guard out.withUnsafeBytes({ TextValues.isValidUTF8($0) }) else {
            throw JSONSyntaxError(message: "invalid UTF-8 in a string", offset: runStart)
        }
        return out
    }

    /// Four hex digits after `\u`; `i` ends on the last one.
    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 < s.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for k in 1...4 {
            let c = s[i + k]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
        }
        i += 4
        return v
    }
}
