import CZlib

/// Streaming gzip (RFC 1952) decompression; concatenated members (what `cat
/// a.gz b.gz` and parallel gzip tools produce) decode as one stream.
public final class GzipStreamDecoder: StreamDecoder {
    private var stream = z_stream()
    private var ended = false
    /// Whether any byte of the current member was seen (an empty input is not a stream).

    public init() throws(CompressionError) {
        // 15 + 16: gzip wrapper only (zlib streams are not files we are given).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CompressionError("gzip: inflateInit failed")
        }
    }

    deinit { inflateEnd(&stream) }

    public var atStreamEnd: Bool { ended }

    public func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CompressionError)
        -> (consumed: Int, produced: Int) {
        var consumed = 0, produced = 0
        var scratch: UInt8 = 0
        while produced < output.count {
            if ended {
                guard consumed < input.count else { break }
                // Another member follows.
                guard inflateReset(&stream) == Z_OK else { throw CompressionError("gzip: inflateReset failed") }
                ended = false
            }
            let before = (consumed, produced)
            let status = withUnsafeMutablePointer(to: &scratch) { empty -> Int32 in
                let base = input.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) } ?? empty
                stream.next_in = base.advanced(by: consumed)
                stream.avail_in = uInt(input.count - consumed)
                stream.next_out = output.baseAddress!.advanced(by: produced).assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(output.count - produced)
                return inflate(&stream, Z_NO_FLUSH)
            }
            consumed = input.count - Int(stream.avail_in)
            produced = output.count - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                ended = true
            case Z_OK, Z_BUF_ERROR:
                if before == (consumed, produced) { return (consumed, produced) }
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw CompressionError("gzip: \(detail)")
            }
        }
        return (consumed, produced)
    }
}
