import ArgumentParser
import Columnar
import Parquet

/// `basalt parquet rewrite IN OUT`: read with Basalt's reader, write with its writer.
struct RewriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewrite",
        abstract: "Read a Parquet file and write it again with Basalt's writer (codec, page version, encodings, sizes)."
    )

    enum CodecName: String, ExpressibleByArgument, CaseIterable {
        case uncompressed, snappy, gzip, zstd, lz4_raw, brotli

        /// The writer's codec of this name (also used by `basalt ingest`).
        var codec: CompressionCodec {
            switch self {
            case .uncompressed: .uncompressed
            case .snappy: .snappy
            case .gzip: .gzip
            case .zstd: .zstd
            case .lz4_raw: .lz4Raw
            case .brotli: .brotli
            }
        }
    }
    enum EncodingChoice: String, ExpressibleByArgument, CaseIterable { case plain, delta }

    @Argument(help: "The Parquet file to read.") var input: String
    @Argument(help: "The Parquet file to write.") var output: String
    @Option(help: "Compression codec.") var codec: CodecName = .zstd
    @Option(help: "Compression level (codec-specific).") var level: Int?
    @Option(name: .customLong("page-version"), help: "Data page version, 1 or 2.") var pageVersion: Int = 1
    @Flag(name: .customLong("no-dictionary"), help: "Do not dictionary-encode.") var noDictionary = false
    @Option(help: "Encoding for values that are not dictionary-encoded.") var encoding: EncodingChoice = .plain
    @Option(name: .customLong("row-group-rows"), help: "Rows per row group.") var rowGroupRows: Int?
    @Option(name: .customLong("page-rows"), help: "Maximum rows per data page.") var pageRows: Int?
    @Option(name: .customLong("bloom-filter"), help: "Comma-separated leaf columns (dotted paths) to give bloom filters.") var bloomFilter: String?

    func run() throws {
        guard pageVersion == 1 || pageVersion == 2 else {
            printError("basalt: --page-version must be 1 or 2")
            throw ExitCode(1)
        }
        do {
            try rewrite()
        } catch {
            printError("basalt: \(error)")
            throw ExitCode(1)
        }
    }

    private func rewrite() throws(ParquetError) {
            let source = try ParquetFile(path: input)
            var options = WriterOptions()
            options.codec = codec.codec
            options.compressionLevel = level
            options.dataPageVersion = pageVersion
            options.dictionary = !noDictionary
            options.preferDelta = encoding == .delta
            if let rowGroupRows { options.rowGroupRows = max(1, rowGroupRows) }
            if let pageRows { options.dataPageRowLimit = max(1, pageRows) }
            if let bloomFilter { options.bloomFilterColumns = Set(bloomFilter.split(separator: ",").map(String.init)) }
            for kv in source.metadata.keyValueMetadata ?? [] where kv.key != "ARROW:schema" {
                options.keyValueMetadata[kv.key] = kv.value ?? ""
            }
            // Legacy INT96 timestamps travel as their raw 12 bytes and are written back as INT96,
            // so values outside the int64-nanosecond range survive (top-level columns, where Spark puts them).
            let readOptions = ReadOptions(int96AsRawBytes: true)
            options.int96Columns = Set(source.schema.leaves.filter { $0.physicalType == .int96 && $0.path.count == 1 }.map { $0.path[0] })
            let writer = try ParquetWriter(path: output, fields: source.fields(options: readOptions), options: options)
            for g in 0..<source.rowGroupCount {
                try writer.write(source.readRowGroup(g, options: readOptions))
            }
            _ = try writer.close()
    }
}
