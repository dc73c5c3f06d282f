/// Splits CSV text into records and fields, over contiguous bytes. One call
/// scans one record and reports its fields as spans of the input (no copies);
/// quoted fields with escapes are unescaped on demand by `unescape(_:in:into:)`.
///
/// Rules: a record ends at LF, CRLF or a lone CR outside quotes; blank lines
/// are skipped; a field starting with the quote character runs to the
/// matching quote (which may span lines; the escape character before a quote,
/// or a doubled quote when escape == quote, is a literal quote); after a
/// closing quote only a delimiter or the end of the record may follow.
/// Quotes inside unquoted fields are kept literally.
struct CSVScanner {
    struct FieldSpan {
        var start: Int
        var end: Int
        var quoted: Bool
        var escaped: Bool
    }

    enum Outcome {
        /// A record; the next one starts at `next`.
        case record(next: Int)
        /// A blank line; the next record starts at `next`.
        case blank(next: Int)
        /// The record cannot be parsed: why, the byte offset concerned, and where to resume.
        case malformed(reason: String, offset: Int, resume: Int)
        /// The input ends inside the record (only when `atEOF` is false).
        case incomplete
    }

    let delimiter: UInt8
    let quote: UInt16  // 256 when there is no quote character
    let escape: UInt8
    /// Bytes that end an unquoted field: delimiter, LF, CR.
    private let stops: [Bool]
    /// Newlines seen so far (lines advanced) and where the current line started.
    var lines = 0
    var lineStart = 0

    init(dialect: CSVDialect) {
        delimiter = dialect.delimiter
        quote = dialect.quote.map { UInt16($0) } ?? 256
        escape = dialect.escape
        var stops = [Bool](repeating: false, count: 256)
        stops[Int(dialect.delimiter)] = true
        stops[10] = true
        stops[13] = true
        self.stops = stops
    }

    /// Scans the record at `pos`.
    mutating func record(_ s: UnsafeRawBufferPointer, at pos: Int, atEOF: Bool, fields: inout [FieldSpan]) -> Outcome {
        fields.removeAll(keepingCapacity: true)
        let n = s.count
        var i = pos
        if i < n && (s[i] == 10 || s[i] == 13) {
            if s[i] == 13 && i + 1 < n && s[i + 1] == 10 { i += 1 }
            lines += 1
            lineStart = i + 1
            return .blank(next: i + 1)
        }
        return stops.withUnsafeBufferPointer { stop -> Outcome in
            while true {
                if i < n && UInt16(s[i]) == quote {
                    let start = i + 1
                    var j = start
                    var escaped = false
                    var closed = false
                    let q = UInt8(truncatingIfNeeded: quote)
                    while j < n {
                        let c = s[j]
                        if c == escape && escape != q {
                            if j + 1 < n { escaped = true; j += 2; continue }
                            break
                        }
                        if c == q {
                            if escape == q && j + 1 < n && s[j + 1] == q { escaped = true; j += 2; continue }
                            closed = true
                            break
                        }
                        if c == 10 { lines += 1; lineStart = j + 1 }
                        j += 1
                    }
                    guard closed else {
                        if !atEOF { return .incomplete }
                        return .malformed(reason: "unterminated quoted field (no closing quote before the end of the input)", offset: i, resume: n)
                    }
                    fields.append(FieldSpan(start: start, end: j, quoted: true, escaped: escaped))
                    i = j + 1
                    if i < n && !stop[Int(s[i])] {
                        // Resume after the end of this line.
                        var r = i
                        while r < n && s[r] != 10 { r += 1 }
                        return .malformed(reason: "unexpected \(Self.describe(s[i])) after the closing quote of a field (expected a delimiter or the end of the record)",
                                          offset: i, resume: min(n, r + 1))
                    }
                } else {
                    let start = i
                    while i < n && !stop[Int(s[i])] { i += 1 }
                    fields.append(FieldSpan(start: start, end: i, quoted: false, escaped: false))
                }
                if i >= n {
                    if !atEOF { return .incomplete }
                    return .record(next: n)
                }
                let c = s[i]
                if c == delimiter { i += 1; continue }
                if c == 13 && i + 1 < n && s[i + 1] == 10 { i += 1 }
                lines += 1
                lineStart = i + 1
                return .record(next: i + 1)
            }
        }
    }

    static func describe(_ c: UInt8) -> String {
        c >= 32 && c < 127 ? "'\(Character(Unicode.Scalar(c)))'" : "byte \(c)"
    }

    /// Copies an escaped field's text into `scratch`, escapes removed.
    func unescape(_ f: FieldSpan, in s: UnsafeRawBufferPointer, into scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        var j = f.start
        let q = UInt8(truncatingIfNeeded: quote)
        while j < f.end {
            let c = s[j]
            if (c == escape) && j + 1 < f.end && (escape == q ? s[j + 1] == q : true) {
                scratch.append(s[j + 1])
                j += 2
            } else {
                scratch.append(c)
                j += 1
            }
        }
    }

    /// Every record of `s` as field byte arrays (sampling and tests; not the hot path).
    static func records(_ s: UnsafeRawBufferPointer, dialect: CSVDialect, limit: Int, atEOF: Bool) -> [[[UInt8]]] {
        var scanner = CSVScanner(dialect: dialect)
        var fields: [FieldSpan] = []
        var out: [[[UInt8]]] = []
        var scratch: [UInt8] = []
        var pos = 0
        while out.count < limit && pos < s.count {
            switch scanner.record(s, at: pos, atEOF: atEOF, fields: &fields) {
            case let .record(next):
                out.append(fields.map { f in
                    if f.escaped {
                        scanner.unescape(f, in: s, into: &scratch)
                        return scratch
                    }
                    return Array(UnsafeRawBufferPointer(rebasing: s[f.start..<f.end]))
                })
                pos = next
            case let .blank(next): pos = next
            case let .malformed(_, _, resume): pos = resume
            case .incomplete: return out
            }
        }
        return out
    }
}
