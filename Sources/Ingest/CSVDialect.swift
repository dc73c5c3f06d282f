/// How a CSV file is written: delimiter, quoting, header, null markers.
/// Anything not given on the command line is detected from the file's first
/// bytes (`detect`).
public struct CSVDialect: Sendable, Hashable {
    public var delimiter: UInt8 = 44
    /// The quote character; nil when fields are never quoted.
    public var quote: UInt8? = 34
    /// The escape character inside quoted fields; equal to `quote` for RFC 4180 doubling ("").
    public var escape: UInt8 = 34
    public var header = true
    /// Unquoted field texts that mean NULL (the empty field always does).
    public var nullStrings: [[UInt8]] = []

    public init() {}
}

/// The command line's dialect choices; nil fields are detected.
public struct CSVDialectOverrides: Sendable {
    public var delimiter: UInt8?
    public var quote: UInt8??
    public var escape: UInt8?
    public var header: Bool?
    public var nullStrings: [String] = []

    public init() {}
}

extension CSVDialect {
    /// Detects the delimiter (the candidate giving the most fields, the same
    /// number on every sampled record) and the header (the first record is a
    /// header unless it types like the records below it, e.g. a number where
    /// the column holds numbers), within the overrides.
    static func detect(_ sample: UnsafeRawBufferPointer, overrides: CSVDialectOverrides, atEOF: Bool) -> CSVDialect {
        var dialect = CSVDialect()
        if let q = overrides.quote { dialect.quote = q }
        dialect.escape = overrides.escape ?? dialect.quote ?? 34
        dialect.nullStrings = overrides.nullStrings.map { Array($0.utf8) }
        if let d = overrides.delimiter {
            dialect.delimiter = d
        } else {
            var best: (delimiter: UInt8, score: Int) = (44, -1)
            for candidate: UInt8 in [44, 59, 9, 124] {
                var d = dialect
                d.delimiter = candidate
                let counts = Self.fieldCounts(sample, dialect: d, records: 50, atEOF: atEOF)
                guard let first = counts.first else { continue }
                // Consistent records score by their field count; ragged ones count less.
                let consistent = counts.filter { $0 == first }.count
                let score = first > 1 ? first * 1000 * consistent / counts.count : 0
                if score > best.score { best = (candidate, score) }
            }
            dialect.delimiter = best.delimiter
        }
        if let h = overrides.header {
            dialect.header = h
        } else {
            dialect.header = Self.firstRecordIsHeader(sample, dialect: dialect, atEOF: atEOF)
        }
        return dialect
    }

    /// Field counts of the first records of the sample.
    static func fieldCounts(_ sample: UnsafeRawBufferPointer, dialect: CSVDialect, records: Int, atEOF: Bool) -> [Int] {
        var scanner = CSVScanner(dialect: dialect)
        var fields: [CSVScanner.FieldSpan] = []
        var pos = 0
        var counts: [Int] = []
        while counts.count < records && pos < sample.count {
            switch scanner.record(sample, at: pos, atEOF: atEOF, fields: &fields) {
            case let .record(next): counts.append(fields.count); pos = next
            case let .blank(next): pos = next
            case .malformed, .incomplete: return counts
            }
        }
        return counts
    }

    /// A header unless some column's first value has the type the values
    /// below it have (other than text), e.g. all numbers.
    static func firstRecordIsHeader(_ sample: UnsafeRawBufferPointer, dialect: CSVDialect, atEOF: Bool) -> Bool {
        let records = CSVScanner.records(sample, dialect: dialect, limit: 200, atEOF: atEOF)
        guard let first = records.first else { return true }
        guard records.count > 1 else {
            // One record only: a header when every field is a non-numeric, non-empty word.
            return first.allSatisfy { f in !f.isEmpty && f.withUnsafeBytes { TextValues.double($0) == nil } }
        }
        for (c, headerValue) in first.enumerated() {
            var guess = TypeGuess()
            for r in records.dropFirst() where c < r.count && !r[c].isEmpty { r[c].withUnsafeBytes { guess.observe($0) } }
            guard guess.type != .string, guess.values > 0 else { continue }
            if headerValue.isEmpty { return false }
            var one = guess
            headerValue.withUnsafeBytes { one.observe($0) }
            if one.type == guess.type { return false }
        }
        // Every column text, or every header value unlike its column: a header,
        // unless the first record repeats values of the records below (no
        // header names repeat a value of their own column in practice).
        return true
    }
}
