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
        // Rows expected (from the average record size of typical files) to avoid regrowing.
        let estimate = max(16, s.count / max(8, plan.fieldCount * 8))
        for c in columns { c.reserve(estimate) }
        let ascii = isASCII(s)
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
                    let column = columns[t]
                    let length = f.end - f.start
                    if length == 0 && (!f.quoted || !stringColumn[t]) {
                        column.appendNull()
                        continue
                    }
                    if !f.quoted && !nullStrings.isEmpty && isNull(s, f, nullStrings) {
                        column.appendNull()
                        continue
                    }
                    let reason: String?
                    if f.escaped {
                        scanner.unescape(f, in: s, into: &scratch)
                        reason = scratch.withUnsafeBytes { converters[t]!.append($0, to: column, asciiBlock: ascii) }
                    } else {
                        reason = converters[t]!.append(UnsafeRawBufferPointer(rebasing: s[f.start..<f.end]), to: column, asciiBlock: ascii)
                    }
                    if let reason {
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

    /// Whether every byte is below 0x80 (then strings need no UTF-8 check).
    static func isASCII(_ s: UnsafeRawBufferPointer) -> Bool {
        var acc: UInt64 = 0
        var i = 0
        let n = s.count
        while i + 8 <= n {
            acc |= s.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n { acc |= UInt64(s[i]); i += 1 }
        return acc & 0x8080_8080_8080_8080 == 0
    }
}
