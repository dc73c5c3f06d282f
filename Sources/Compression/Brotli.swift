import CBrotli

enum Brotli {
    static func decompress(_ input: UnsafeRawBufferPointer, expected: Int) throws(CompressionError) -> [UInt8] {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else { throw CompressionError("brotli: out of memory") }
        defer { BrotliDecoderDestroyInstance(state) }
        var output = GrowingOutput(limit: expected + 1)
        var availIn = input.count
        var nextIn = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var empty: UInt8 = 0
        while true {
            let result = output.bytes.withUnsafeMutableBytes { dst -> BrotliDecoderResult in
                var availOut = dst.count - output.used
                var nextOut: UnsafeMutablePointer<UInt8>? = dst.baseAddress!.advanced(by: output.used).assumingMemoryBound(to: UInt8.self)
                let r = withUnsafeMutablePointer(to: &empty) { e -> BrotliDecoderResult in
                    if nextIn == nil { nextIn = UnsafePointer(e) }
                    return BrotliDecoderDecompressStream(state, &availIn, &nextIn, &availOut, &nextOut, nil)
                }
                output.used = dst.count - availOut
                return r
            }
            switch result {
            case BROTLI_DECODER_RESULT_SUCCESS:
                return output.finish()
            case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
                if !output.grow() { return output.finish() }
            case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
                throw CompressionError("brotli: stream ends early")
            default:
                let code = BrotliDecoderGetErrorCode(state)
                throw CompressionError("brotli: " + String(cString: BrotliDecoderErrorString(code)))
            }
        }
    }

    static func compress(_ input: UnsafeRawBufferPointer, quality: Int) -> [UInt8] {
        var size = BrotliEncoderMaxCompressedSize(input.count)
        if size == 0 { size = input.count + 1024 }
        var out = [UInt8](repeating: 0, count: size)
        var empty: UInt8 = 0
        let ok = out.withUnsafeMutableBytes { dst in
            withUnsafeMutablePointer(to: &empty) { e in
                BrotliEncoderCompress(Int32(quality), BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.count,
                                      input.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(e),
                                      &size, dst.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        precondition(ok == BROTLI_TRUE, "BrotliEncoderCompress failed")
        out.removeSubrange(size...)
        return out
    }
}
