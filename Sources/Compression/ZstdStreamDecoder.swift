import CZstd

/// Streaming zstd decompression; concatenated frames decode as one stream.
public final class ZstdStreamDecoder: StreamDecoder {
    private let stream: OpaquePointer
    /// ZSTD_decompressStream's last hint: 0 exactly when a frame just ended.
    private var hint = 0
    private var started = false

    public init() throws(CompressionError) {
        guard let stream = ZSTD_createDStream() else { throw CompressionError("zstd: out of memory") }
        self.stream = stream
        ZSTD_initDStream(stream)
    }

    deinit { ZSTD_freeDStream(stream) }

    public var atStreamEnd: Bool { started && hint == 0 }

    public func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CompressionError)
        -> (consumed: Int, produced: Int) {
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        while outBuffer.pos < outBuffer.size {
            let before = (inBuffer.pos, outBuffer.pos)
            let n = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
            if ZSTD_isError(n) != 0 { throw CompressionError("zstd: " + String(cString: ZSTD_getErrorName(n))) }
            // Without progress the hint describes a frame that has not started: keep the last one.
            if before == (inBuffer.pos, outBuffer.pos) { break }
            started = true
            hint = n
        }
        return (inBuffer.pos, outBuffer.pos)
    }
}
