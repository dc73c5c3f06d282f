import Columnar
import Compression
import Parquet

/// One input opened, its format known, and its columns inferred from a
/// sample (the sample stays buffered and is read again by the ingest, so
/// standard input works too).
final class PreparedInput {
    enum Content {
        case csv(CSVContent)
        case ndjson(JSONContent)
        case parquet(ParquetFile)
        /// Nothing to read (an empty file).
        case empty
    }

    struct CSVContent {
        var reader: BlockReader
        var dialect: CSVDialect
        var names: [String]
        var guesses: [TypeGuess]
        /// Lines before the first data record (the header's).
        var headerLines: Int
    }

    struct JSONContent {
        var reader: BlockReader
        var guess: JSONGuess
    }

    let name: String
    /// Bytes of the input file (nil for standard input), for progress.
    let size: Int?
    let content: Content

    init(name: String, size: Int?, content: Content) {
        self.name = name
        self.size = size
        self.content = content
    }

    /// The input's columns as inferred (names in input order).
    var inferredFields: [Field] {
        switch content {
        case let .csv(c): return zip(c.names, c.guesses).map { Field($0, $1.type) }
        case let .ndjson(j): return j.guess.members.map { Field($0.name, $0.guess.type) }
        case let .parquet(file): return file.fields(options: ReadOptions(keepDictionaries: false)).map { Field($0.name, $0.type) }
        case .empty: return []
        }
    }

    // MARK: opening

    /// Opens `path` ("-": standard input), detects compression and format, samples it.
    static func open(_ path: String, options: IngestOptions, spoolDirectory: String) throws(IngestError) -> PreparedInput {
        try open(path, source: try FileInput(path: path), size: InputResolver.size(path), options: options, spoolDirectory: spoolDirectory)
    }

    /// Opens any byte source named `path` (messages, and the format's file extension).
    static func open(_ path: String, source: ByteInput, size: Int?, options: IngestOptions,
                     spoolDirectory: String) throws(IngestError) -> PreparedInput {
        let raw = PeekableInput(source)
        let magic = try raw.peek(4)
        var input: ByteInput = raw
        var stem = path.lowercased()
        if let compression = StreamFormat.detect(magic) {
            input = PeekableInput(try DecompressingInput(raw, format: compression, name: path))
            for suffix in [".gz", ".gzip", ".zst", ".zstd"] where stem.hasSuffix(suffix) { stem.removeLast(suffix.count) }
        }
        let peekable = input as! PeekableInput
        var format = options.format
        if format == .auto {
            if stem.hasSuffix(".parquet") || stem.hasSuffix(".parq") {
                format = .parquet
            } else if stem.hasSuffix(".json") || stem.hasSuffix(".jsonl") || stem.hasSuffix(".ndjson") {
                format = .ndjson
            } else if stem.hasSuffix(".csv") || stem.hasSuffix(".tsv") || stem.hasSuffix(".txt") {
                format = .csv
            } else {
                let head = try peekable.peek(4096)
                if head.starts(with: Array("PAR1".utf8)) {
                    format = .parquet
                } else if head.drop(while: { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }).first == 123 {
                    format = .ndjson
                } else {
                    format = .csv
                }
            }
        }
        switch format {
        case .parquet:
            return PreparedInput(name: path, size: size, content: .parquet(try openParquet(path, input: peekable, compressed: input !== raw,
                                                                                             spoolDirectory: spoolDirectory)))
        case .ndjson:
            let reader = BlockReader(peekable, name: path)
            try skipByteOrderMark(reader, name: path)
            if try reader.sample(1).isEmpty { return PreparedInput(name: path, size: size, content: .empty) }
            return PreparedInput(name: path, size: size, content: .ndjson(try sampleJSON(reader, options: options)))
        case .csv, .auto:
            let reader = BlockReader(peekable, name: path)
            try skipByteOrderMark(reader, name: path)
            if try reader.sample(1).isEmpty { return PreparedInput(name: path, size: size, content: .empty) }
            var overrides = options.csv
            if overrides.delimiter == nil && stem.hasSuffix(".tsv") { overrides.delimiter = 9 }
            return PreparedInput(name: path, size: size, content: .csv(try sampleCSV(reader, overrides: overrides, options: options, name: path)))
        }
    }

    private static func skipByteOrderMark(_ reader: BlockReader, name: String) throws(IngestError) {
        let head = try reader.sample(4)
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { reader.consume(3); return }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            throw IngestError(.input, "\(name) is UTF-16 (byte-order mark \(head[0] == 0xFF ? "FF FE" : "FE FF")); convert it to UTF-8 first (e.g. iconv -f UTF-16 -t UTF-8)")
        }
    }

    /// Sample bytes read to infer a CSV or NDJSON schema (at most).
    static let sampleBytes = 4 << 20

    private static func sampleCSV(_ reader: BlockReader, overrides: CSVDialectOverrides, options: IngestOptions,
                                  name: String) throws(IngestError) -> CSVContent {
        let sample = try reader.sample(sampleBytes)
        let atEOF = reader.ended && sample.count <= sampleBytes
        let dialect = sample.withUnsafeBytes { CSVDialect.detect($0, overrides: overrides, atEOF: atEOF) }
        var scanner = CSVScanner(dialect: dialect)
        var fields: [CSVScanner.FieldSpan] = []
        var names: [String] = []
        var headerBytes = 0
        var headerLines = 0
        var guesses: [TypeGuess] = []
        var scratch: [UInt8] = []
        sample.withUnsafeBytes { s in
            var pos = 0
            var first = true
            var records = 0
            let nulls = dialect.nullStrings
            while pos < s.count && records < options.sampleRows {
                let outcome = scanner.record(s, at: pos, atEOF: atEOF, fields: &fields)
                switch outcome {
                case let .blank(next):
                    pos = next
                    if first { headerBytes = next; headerLines = scanner.lines }
                    continue
                case .incomplete:
                    pos = s.count
                    continue
                case let .malformed(_, _, resume):
                    pos = resume
                    continue
                case let .record(next):
                    let texts: [[UInt8]] = fields.map { f in
                        if f.escaped { scanner.unescape(f, in: s, into: &scratch); return scratch }
                        return Array(UnsafeRawBufferPointer(rebasing: s[f.start..<f.end]))
                    }
                    if first {
                        first = false
                        if dialect.header {
                            names = texts.map { String(decoding: $0, as: UTF8.self) }
                            headerBytes = next
                            headerLines = scanner.lines
                            guesses = Array(repeating: TypeGuess(), count: names.count)
                            pos = next
                            continue
                        }
                        names = (0..<texts.count).map { "column\($0)" }
                        guesses = Array(repeating: TypeGuess(), count: names.count)
                    }
                    for (k, t) in texts.enumerated() where k < guesses.count {
                        if t.isEmpty || (!fields[k].quoted && nulls.contains(t)) { continue }
                        t.withUnsafeBytes { guesses[k].observe($0) }
                    }
                    records += 1
                    pos = next
                }
            }
        }
        reader.consume(headerBytes)
        return CSVContent(reader: reader, dialect: dialect, names: uniqueNames(names), guesses: guesses, headerLines: headerLines)
    }

    /// Header names made usable: surrounding spaces trimmed, empty ones
    /// named `columnN`, repeated ones suffixed `_1`, `_2`, ...
    static func uniqueNames(_ names: [String]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for (i, raw) in names.enumerated() {
            var name = raw.trimmingSpaces
            if name.isEmpty { name = "column\(i)" }
            var candidate = name
            var n = 1
            while seen.contains(candidate.lowercased()) { candidate = "\(name)_\(n)"; n += 1 }
            seen.insert(candidate.lowercased())
            out.append(candidate)
        }
        return out
    }

    private static func sampleJSON(_ reader: BlockReader, options: IngestOptions) throws(IngestError) -> JSONContent {
        let sample = try reader.sample(sampleBytes)
        let guess = JSONGuess()
        sample.withUnsafeBytes { s in
            var pos = 0
            var records = 0
            // Without the end of the input, the last line of the sample may be cut: skip it.
            let limit = reader.ended ? s.count : (BlockReader.lastLineEnd(s) ?? 0)
            while pos < limit && records < options.sampleRows {
                var end = pos
                while end < limit && s[end] != 10 { end += 1 }
                var parser = JSONParser(UnsafeRawBufferPointer(rebasing: s[pos..<end]))
                pos = end + 1
                guard let value = try? parser.document(), case let .object(members) = value else { continue }
                if options.flatten {
                    var flat: [JSONMember] = []
                    JSONBlockParser.flattenMembers(members, prefix: "", into: &flat)
                    for m in flat { guess.member(m.key).observe(m.value) }
                } else {
                    for m in members { guess.member(m.key).observe(m.value) }
                }
                records += 1
            }
        }
        return JSONContent(reader: reader, guess: guess)
    }

    private static func openParquet(_ path: String, input: PeekableInput, compressed: Bool,
                                    spoolDirectory: String) throws(IngestError) -> ParquetFile {
        var filePath = path
        if path == "-" || compressed {
            // Parquet needs random access: copy the stream to a file in the staging area first.
            filePath = spoolDirectory + "/_spool-\(Int.random(in: 0..<Int.max)).parquet"
            let sink: FileSink
            do { sink = try FileSink(path: filePath) } catch { throw IngestError(.output, "cannot spool \(path): \(error)") }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let n = try buffer.withMutableBytes { (b) throws(IngestError) -> Int in try input.read(into: b) }
                if n == 0 { break }
                do { try sink.write(Array(buffer[0..<n])) } catch { throw IngestError(.output, "cannot spool \(path): \(error)") }
            }
            do { try sink.close() } catch { throw IngestError(.output, "cannot spool \(path): \(error)") }
        }
        do {
            return try ParquetFile(path: filePath)
        } catch {
            throw IngestError(.input, "\(path): not a readable Parquet file: \(error)")
        }
    }
}
