import Columnar

/// How one CSV input maps onto the table: its dialect, and for each input
/// field the table column it fills (or none) with the converter to use.
struct CSVInputPlan: Sendable {
    var dialect: CSVDialect
    var fileName: String
    /// Fields per record (the header's or the first record's count).
    var fieldCount: Int
    /// Per input field: the table column index, or -1 when the field is dropped.
    var targets: [Int]
    /// The table's columns.
    var fields: [Field]
    /// Per table column, the converter for its text (nil for columns no field fills).
    var converters: [TextConverter?]
    /// Records with fewer fields get NULLs for the missing ones instead of being rejected.
    var nullPadding: Bool
}

/// Parses one block of whole CSV records into column buffers: the hot loop of
/// CSV ingestion. Runs on any thread; every block is independent.
enum CSVBlockParser {
    static func parse(_ s: UnsafeRawBufferPointer, plan: CSVInputPlan) -> ParsedChunk {
        let columns = plan.fields.map { ColumnBuffer(type: $0.type) }
        // Rows expected: the block's line feeds (at least its records, unless records
        // end in lone CRs), counted in the same pass as the ASCII check; reserving
        // them avoids regrowing the columns (copies, and up to twice the memory).
        let (ascii, lineFeeds) = scan(s)
        for c in columns { c.reserve(max(16, lineFeeds + 1)) }
        var scanner = CSVScanner(dialect: plan.dialect)
        var fields: [CSVScanner.FieldSpan] = []
        fields.reserveCapacity(plan.fieldCount + 4)
        var scratch: [UInt8] = []
        var rejected: [RejectedRecord] = []
        var rows = 0
        var pos = 0
        let expected = plan.fieldCount
        let nullStrings = plan.dialect.nullStrings
        let targets = plan.targets
        let converters = plan.converters
        // The hot loop reads trivially copyable converters and unretained column
        // references: no reference counting per field.
        let cores = converters.map { $0?.core ?? TextConverter.Core(kind: .string, thousands: nil, order: .monthFirst, limit: .max) }
        let unretained = columns.map { Unmanaged.passUnretained($0) }
        let stringColumn = plan.fields.map { $0.type == .string }

        var recordLine = 0, recordLineStart = 0
        func reject(_ reason: String, recordStart: Int, recordEnd: Int, offset: Int, field: String?) {
            // Line and column of `offset`: from the record's first line, count the newlines before it (cold path).
            var line = recordLine, lineStart = recordLineStart
            var i = recordStart
            while i < offset && i < s.count { if s[i] == 10 { line += 1; lineStart = i + 1 }; i += 1 }
            var end = recordEnd
            while end > recordStart && (s[end - 1] == 10 || s[end - 1] == 13) { end -= 1 }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: s[recordStart..<max(recordStart, end)]), as: UTF8.self)
            rejected.append(RejectedRecord(position: InputPosition(file: plan.fileName, line: line + 1, column: offset - lineStart + 1, field: field),
                                           reason: reason, text: text))
        }

        while pos < s.count {
            let recordStart = pos
            recordLine = scanner.lines
            recordLineStart = scanner.lineStart
            switch scanner.record(s, at: pos, atEOF: true, fields: &fields) {
            case let .blank(next):
                pos = next
            case .incomplete:
                pos = s.count
            case let .malformed(reason, offset, resume):
                reject(reason, recordStart: recordStart, recordEnd: resume, offset: offset, field: nil)
                pos = max(resume, pos + 1)
            case let .record(next):
                pos = next
                let count = fields.count
                if count != expected && !(plan.nullPadding && count < expected) {
                    let what = count < expected ? "too few" : "too many"
                    let at = count > expected ? fields[expected].start : (fields.last.map { $0.end } ?? recordStart)
                    reject("\(what) fields: expected \(expected), found \(count)", recordStart: recordStart, recordEnd: next,
                           offset: at, field: nil)
                    continue
                }
                var failed = false
                for k in 0..<count {
                    let t = targets[k]
                    if t < 0 { continue }
                    let f = fields[k]
                    let outcome: String?? = unretained[t]._withUnsafeGuaranteedRef { column -> String?? in
                        let length = f.end - f.start
                        if length == 0 && (!f.quoted || !stringColumn[t]) {
                            column.appendNull()
                            return nil
                        }
                        if !f.quoted && !nullStrings.isEmpty && isNull(s, f, nullStrings) {
                            column.appendNull()
                            return nil
                        }
                        if f.escaped {
                            scanner.unescape(f, in: s, into: &scratch)
                            return scratch.withUnsafeBytes { b -> String?? in
                                guard let failure = cores[t].append(b, to: column, asciiBlock: ascii) else { return nil }
                                return .some(converters[t]!.reason(failure, b, to: column))
                            }
                        }
                        let b = UnsafeRawBufferPointer(rebasing: s[f.start..<f.end])
                        guard let failure = cores[t].append(b, to: column, asciiBlock: ascii) else { return nil }
                        return .some(converters[t]!.reason(failure, b, to: column))
                    }
                    if case let .some(.some(reason)) = outcome {
                        reject(reason, recordStart: recordStart, recordEnd: next, offset: f.start - (f.quoted ? 1 : 0),
                               field: plan.fields[t].name)
                        for c in columns where c.count > rows { c.truncate(to: rows) }
                        failed = true
                        break
                    }
                }
                if failed { continue }
                if count < expected {
                    for k in count..<expected where targets[k] >= 0 { columns[targets[k]].appendNull() }
                }
                rows += 1
            }
        }
        // Table columns no input field fills.
        for c in columns where c.count < rows {
            while c.count < rows { c.appendNull() }
        }
        return ParsedChunk(columns: columns, rows: rows, lines: scanner.lines, rejected: rejected)
    }

    @inline(__always)
    private static func isNull(_ s: UnsafeRawBufferPointer, _ f: CSVScanner.FieldSpan, _ nulls: [[UInt8]]) -> Bool {
        let length = f.end - f.start
        for n in nulls where n.count == length {
            var same = true
            for k in 0..<length where s[f.start + k] != n[k] { same = false; break }
            if same { return true }
        }
        return false
    }

    /// Whether every byte is below 0x80 (then strings need no UTF-8 check), and how many bytes are line feeds.
    static func scan(_ s: UnsafeRawBufferPointer) -> (ascii: Bool, lineFeeds: Int) {
        var acc: UInt64 = 0
        var lineFeeds = 0
        var i = 0
        let n = s.count
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, lanes: UInt64 = 0x00FF_00FF_00FF_00FF
        while i + 8 <= n {
            // Per-byte counters of line feeds (0x0A: the zero bytes of w ^ 0x0A0A..., found
            // exactly, without carries between bytes), summed every 255 words.
            var counters: UInt64 = 0
            var words = 0
            while words < 255 && i + 8 <= n {
                let w = s.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                acc |= w
                let x = w ^ (ones &* 10)
                counters &+= (~(((x & lows) &+ lows) | x) & highs) >> 7
                i += 8
                words += 1
            }
            let pairs = (counters & lanes) &+ ((counters >> 8) & lanes)  // four 16-bit sums
            lineFeeds += Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
        }
        while i < n { acc |= UInt64(s[i]); if s[i] == 10 { lineFeeds += 1 }; i += 1 }
        return (acc & highs == 0, lineFeeds)
    }

    /// Whether every byte is below 0x80 (then strings need no UTF-8 check).
    static func isASCII(_ s: UnsafeRawBufferPointer) -> Bool { scan(s).ascii }
}
