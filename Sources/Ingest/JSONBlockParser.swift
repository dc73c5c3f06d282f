import Columnar

/// How NDJSON documents map onto the table: top-level members (or, with
/// `flatten`, nested object members joined with '_') to table columns.
struct JSONInputPlan: Sendable {
    var fileName: String
    var fields: [Field]
    var columnIndex: [String: Int]
    var flatten: Bool
}

/// Parses one block of whole NDJSON lines into column buffers.
enum JSONBlockParser {
    static func parse(_ s: UnsafeRawBufferPointer, plan: JSONInputPlan) -> ParsedChunk {
        let columns = plan.fields.map { ColumnBuffer(type: $0.type) }
        var rejected: [RejectedRecord] = []
        var rows = 0
        var line = 0
        var pos = 0
        var seen = [Bool](repeating: false, count: columns.count)
        while pos < s.count {
            var end = pos
            while end < s.count && s[end] != 10 { end += 1 }
            let lineBytes = UnsafeRawBufferPointer(rebasing: s[pos..<end])
            let lineStart = pos
            pos = end + 1
            line += 1
            if lineBytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            func reject(_ reason: String, offset: Int, field: String?) {
                var text = String(decoding: lineBytes, as: UTF8.self)
                if text.hasSuffix("\r") { text.removeLast() }
                rejected.append(RejectedRecord(position: InputPosition(file: plan.fileName, line: line, column: offset + 1, field: field),
                                               reason: reason, text: text))
            }
            var parser = JSONParser(lineBytes)
            let document: JSONValue
            do {
                document = try parser.document()
            } catch {
                reject("invalid JSON: \(error.message)", offset: error.offset, field: nil)
                continue
            }
            guard case let .object(members) = document else {
                reject("expected a JSON object per line, found \(document.kindName)", offset: 0, field: nil)
                continue
            }
            var flat: [JSONMember] = []
            if plan.flatten { flattenMembers(members, prefix: "", into: &flat) } else { flat = members }
            for k in seen.indices { seen[k] = false }
            var failure: (String, Int, String?)? = nil
            for m in flat {
                guard let c = plan.columnIndex[m.key] ?? plan.columnIndex[m.key.lowercased()] else {
                    failure = ("member '\(m.key)' is not a column of the table (it did not appear in the sampled records; give --type \(m.key)=TYPE or a larger --sample-rows)",
                               m.offset, m.key)
                    break
                }
                if seen[c] {
                    failure = ("member '\(m.key)' appears twice", m.offset, m.key)
                    break
                }
                seen[c] = true
                if let reason = JSONConverter.append(m.value, type: plan.fields[c].type, to: columns[c]) {
                    failure = (reason, m.offset, m.key)
                    break
                }
            }
            if let (reason, offset, field) = failure {
                for col in columns where col.count > rows { col.truncate(to: rows) }
                reject(reason, offset: offset, field: field)
                continue
            }
            for (k, col) in columns.enumerated() where !seen[k] { col.appendNull() }
            rows += 1
            _ = lineStart
        }
        return ParsedChunk(columns: columns, rows: rows, lines: line, rejected: rejected)
    }

    /// Nested object members as top-level ones named `outer_inner`.
    static func flattenMembers(_ members: [JSONMember], prefix: String, into out: inout [JSONMember]) {
        for m in members {
            let name = prefix.isEmpty ? m.key : prefix + "_" + m.key
            if case let .object(inner) = m.value, !inner.isEmpty {
                flattenMembers(inner, prefix: name, into: &out)
            } else {
                out.append(JSONMember(key: name, value: m.value, offset: m.offset))
            }
        }
    }
}
