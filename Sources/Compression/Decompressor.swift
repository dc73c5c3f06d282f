import CLZ4
import CSnappy
import CZstd

/// Decompresses page after page into one reusable output buffer, keeping codec
/// state (a zstd decompression context) from page to page: no per-page
/// allocation, zero-filling or copying once the buffer has reached the largest
/// page size. One instance per thread (it is not safe to share); a pool of them
/// serves a scan's workers.
///
/// Size trust: a page header's size claim is used to size the buffer up front only
/// when it is plausible, at most `upFrontLimit(forInput:)`; a larger claim goes
/// through `Codec.decompress`, whose output grows with what the codec really
/// produces. Either way the result must be exactly the claimed size.
public final class Decompressor {
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var zstdContext: OpaquePointer?

    public init() {
        capacity = 64
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }

    deinit {
        buffer.deallocate()
        if let zstdContext { ZSTD_freeDCtx(zstdContext) }
    }

    /// Bytes of output buffer held (for pools that cap what they keep).
    public var bufferCapacity: Int { capacity }

    /// The largest claimed size allocated before decompressing: 64 MiB, or 1024 times the input.
    @inlinable
    public static func upFrontLimit(forInput count: Int) -> Int {
        Swift.max(64 << 20, count &* 1024)
    }

    /// Decompresses `input`, which must expand to exactly `uncompressedSize` bytes. The result
    /// stays valid until the next call or until this decompressor is released (for
    /// `.uncompressed` it is `input` itself).
    ///
    /// `plainIntegers`: the page holds plain 32- or 64-bit integers. A snappy stream of those
    /// that compressed 2:1 or better is mostly back-references (sorted keys) and decodes
    /// faster by whole words (`SnappyDecoder`); anything else, text above all, is faster
    /// through libsnappy.
    public func decompress(_ codec: Codec, _ input: UnsafeRawBufferPointer, uncompressedSize expected: Int,
                           plainIntegers: Bool = false) throws(CompressionError) -> UnsafeRawBufferPointer {
        guard expected >= 0 else { throw CompressionError("negative uncompressed size \(expected)") }
        if codec == .uncompressed {
            guard input.count == expected else {
                throw CompressionError("uncompressed: page has \(input.count) bytes, page header says \(expected)")
            }
            return input
        }
        guard expected <= Self.upFrontLimit(forInput: input.count) else {
            // An implausible claim: let the output grow with what the codec produces.
            let out = try codec.decompress(input, uncompressedSize: expected)
            reserve(out.count)
            out.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            return UnsafeRawBufferPointer(start: buffer, count: out.count)
        }
        reserve(expected + SnappyDecoder.slack)
        switch codec {
        case .zstd:
            if input.isEmpty {
                if expected == 0 { break }
                throw CompressionError("zstd: empty input")
            }
            if zstdContext == nil {
                guard let context = ZSTD_createDCtx() else { throw CompressionError("zstd: out of memory") }
                zstdContext = context
            }
            let n = ZSTD_decompressDCtx(zstdContext, buffer, expected, input.baseAddress, input.count)
            if ZSTD_isError(n) != 0 {
                // A corrupt frame can leave the context mid-stream: start the next page afresh.
                ZSTD_DCtx_reset(zstdContext, ZSTD_reset_session_only)
                throw CompressionError("zstd: " + String(cString: ZSTD_getErrorName(n)))
            }
            guard n == expected else {
                throw CompressionError("zstd: decompressed to \(n) bytes, page header says \(expected)")
            }
        case .snappy:
            guard let src = input.baseAddress?.assumingMemoryBound(to: CChar.self) else {
                if expected == 0 { break }
                throw CompressionError("snappy: empty input")
            }
            if plainIntegers && input.count &* 2 <= expected {
                try SnappyDecoder.decode(input, into: buffer, expected: expected)
                break
            }
            var length = 0
            guard snappy_uncompressed_length(src, input.count, &length) == SNAPPY_OK else {
                throw CompressionError("snappy: invalid stream header")
            }
            guard length == expected else {
                throw CompressionError("snappy: stream holds \(length) bytes, page header says \(expected)")
            }
            var outLength = length
            let status = snappy_uncompress(src, input.count, buffer.assumingMemoryBound(to: CChar.self), &outLength)
            guard status == SNAPPY_OK, outLength == length else { throw CompressionError("snappy: corrupt stream") }
        case .lz4Raw:
            if expected == 0 { break }
            guard expected <= input.count &* 255 &+ 16, expected <= Int(Int32.max) else {
                throw CompressionError("lz4: page header claims \(expected) bytes from \(input.count) compressed")
            }
            let n = LZ4_decompress_safe(input.baseAddress?.assumingMemoryBound(to: CChar.self),
                                        buffer.assumingMemoryBound(to: CChar.self), Int32(input.count), Int32(expected))
            guard n >= 0 else { throw CompressionError("lz4: corrupt block") }
            guard Int(n) == expected else {
                throw CompressionError("lz4_raw: decompressed to \(n) bytes, page header says \(expected)")
            }
        default:
            // gzip, brotli, Hadoop LZ4: streaming or framed; one copy into the buffer.
            let out = try codec.decompress(input, uncompressedSize: expected)
            out.withUnsafeBytes { if $0.count > 0 { buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
        }
        return UnsafeRawBufferPointer(start: buffer, count: expected)
    }

    /// Makes room for `count` bytes, discarding the old contents (never copied, never zeroed).
    private func reserve(_ count: Int) {
        guard count > capacity else { return }
        buffer.deallocate()
        capacity = Swift.max(count, capacity &* 2)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }
}
