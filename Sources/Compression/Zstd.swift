import CZstd

enum Zstd {
    static func decompress(_ input: UnsafeRawBufferPointer, expected: Int) throws(CompressionError) -> [UInt8] {
        if input.isEmpty {
            if expected == 0 { return [] }
            throw CompressionError("zstd: empty input")
        }
        if expected <= Decompressor.upFrontLimit(forInput: input.count) {
            // A plausible claim: one call into a buffer of exactly that size (more output is an error).
            guard let context = ZSTD_createDCtx() else { throw CompressionError("zstd: out of memory") }
            defer { ZSTD_freeDCtx(context) }
            var failure: CompressionError?
            let out = [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
                let n = ZSTD_decompressDCtx(context, buffer.baseAddress, expected, input.baseAddress, input.count)
                if ZSTD_isError(n) != 0 {
                    failure = CompressionError("zstd: " + String(cString: ZSTD_getErrorName(n)))
                    initialized = 0
                } else {
                    initialized = n
                }
            }
            if let failure { throw failure }
            return out
        }
        guard let stream = ZSTD_createDStream() else { throw CompressionError("zstd: out of memory") }
        defer { ZSTD_freeDStream(stream) }
        ZSTD_initDStream(stream)
        // +1 so that output beyond the claimed size is detected rather than cut off.
        var output = GrowingOutput(limit: expected + 1)
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            let result = output.bytes.withUnsafeMutableBytes { dst -> Int in
                var outBuffer = ZSTD_outBuffer(dst: dst.baseAddress, size: dst.count, pos: output.used)
                let r = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
                output.used = outBuffer.pos
                return r
            }
            if ZSTD_isError(result) != 0 {
                throw CompressionError("zstd: " + String(cString: ZSTD_getErrorName(result)))
            }
            if inBuffer.pos == inBuffer.size && (result == 0 || output.used < output.bytes.count) { break }
            if output.used == output.bytes.count && !output.grow() { break }
        }
        return output.finish()
    }

    static func compress(_ input: UnsafeRawBufferPointer, level: Int) -> [UInt8] {
        let capacity = ZSTD_compressBound(input.count)
        var out = [UInt8](repeating: 0, count: capacity)
        let written = out.withUnsafeMutableBytes { dst in
            ZSTD_compress(dst.baseAddress, capacity, input.baseAddress, input.count, Int32(level))
        }
        precondition(ZSTD_isError(written) == 0, "ZSTD_compress failed on a buffer sized by ZSTD_compressBound")
        out.removeSubrange(written...)
        return out
    }
}
