/// The block codecs Parquet pages use, each a thin wrapper over its system
/// library (snappy, zstd, zlib, lz4, brotli). Decompression never lets the size
/// a page header claims cost much: a claim is allocated up front only when it
/// is plausible (`Decompressor.upFrontLimit`: at most 64 MiB or 1024 times the
/// input, and never zero-filled); beyond that, output grows with what the codec
/// really produces, up to the claim, so a lying header cannot make us allocate
/// gigabytes for a few bytes of input. Either way the output must be exactly
/// the claimed size. Readers decoding page after page use a `Decompressor`
/// (reused buffer and zstd context).
public enum Codec: String, Sendable, CaseIterable {
    case uncompressed
    case snappy
    case gzip
    case zstd
    /// A raw LZ4 block (Parquet's LZ4_RAW).
    case lz4Raw = "lz4_raw"
    /// Parquet's deprecated LZ4: Hadoop's framing (big-endian sizes before each
    /// block), or a raw block from writers that misread the spec.
    case lz4Hadoop = "lz4"
    case brotli
}

public struct CompressionError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Codec {
    /// Decompresses `input`, which must expand to exactly `uncompressedSize` bytes.
    public func decompress(_ input: UnsafeRawBufferPointer, uncompressedSize: Int) throws(CompressionError) -> [UInt8] {
        guard uncompressedSize >= 0 else { throw CompressionError("negative uncompressed size \(uncompressedSize)") }
        let out: [UInt8]
        switch self {
        case .uncompressed: out = Array(input)
        case .snappy: out = try Snappy.decompress(input, expected: uncompressedSize)
        case .gzip: out = try Gzip.decompress(input, expected: uncompressedSize)
        case .zstd: out = try Zstd.decompress(input, expected: uncompressedSize)
        case .lz4Raw: out = try LZ4.decompressRaw(input, expected: uncompressedSize)
        case .lz4Hadoop: out = try LZ4.decompressHadoop(input, expected: uncompressedSize)
        case .brotli: out = try Brotli.decompress(input, expected: uncompressedSize)
        }
        guard out.count == uncompressedSize else {
            throw CompressionError("\(rawValue): decompressed to \(out.count) bytes, page header says \(uncompressedSize)")
        }
        return out
    }

    /// Compresses `input`. `level` is codec-specific; nil picks the library default.
    public func compress(_ input: UnsafeRawBufferPointer, level: Int? = nil) -> [UInt8] {
        switch self {
        case .uncompressed: Array(input)
        case .snappy: Snappy.compress(input)
        case .gzip: Gzip.compress(input, level: level ?? 6)
        case .zstd: Zstd.compress(input, level: level ?? 3)
        case .lz4Raw: LZ4.compressRaw(input)
        case .lz4Hadoop: LZ4.compressHadoop(input)
        case .brotli: Brotli.compress(input, quality: level ?? 5)
        }
    }
}

/// Output buffer that grows by doubling up to a hard limit: the streaming codecs
/// write into its free tail.
struct GrowingOutput {
    var bytes: [UInt8]
    var used = 0
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        bytes = [UInt8](repeating: 0, count: min(limit, 1 << 16))
    }

    /// Makes room; returns false when already at the limit.
    mutating func grow() -> Bool {
        guard bytes.count < limit else { return false }
        let newSize = min(limit, max(bytes.count * 2, 1 << 16))
        bytes.append(contentsOf: repeatElement(0, count: newSize - bytes.count))
        return true
    }

    mutating func finish() -> [UInt8] {
        bytes.removeSubrange(used...)
        return bytes
    }
}
