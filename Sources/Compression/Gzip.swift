import CZlib

/// GZIP as Parquet means it: one or more gzip members (RFC 1952) back to back.
/// zlib-wrapped streams are accepted too (windowBits 15 + 32 detects either).
enum Gzip {
    static func decompress(_ input: UnsafeRawBufferPointer, expected: Int) throws(CompressionError) -> [UInt8] {
        if input.isEmpty {
            if expected == 0 { return [] }
            throw CompressionError("gzip: empty input")
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CompressionError("gzip: inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var output = GrowingOutput(limit: expected + 1)
        var consumed = 0
        while true {
            let status = output.bytes.withUnsafeMutableBytes { dst -> Int32 in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(input.count - consumed)
                stream.next_out = dst.baseAddress!.advanced(by: output.used).assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(dst.count - output.used)
                let s = inflate(&stream, Z_NO_FLUSH)
                consumed = input.count - Int(stream.avail_in)
                output.used = dst.count - Int(stream.avail_out)
                return s
            }
            if status == Z_STREAM_END {
                // Another member may follow (concatenated gzip).
                if consumed >= input.count { break }
                guard inflateReset(&stream) == Z_OK else { throw CompressionError("gzip: inflateReset failed") }
                continue
            }
            if status == Z_BUF_ERROR && output.used == output.bytes.count {
                if !output.grow() { break }
                continue
            }
            guard status == Z_OK else {
                let detail = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw CompressionError("gzip: \(detail)")
            }
            if output.used == output.bytes.count && !output.grow() { break }
            if consumed >= input.count && output.used < output.bytes.count {
                throw CompressionError("gzip: stream ends before its end marker")
            }
        }
        return output.finish()
    }

    static func compress(_ input: UnsafeRawBufferPointer, level: Int) -> [UInt8] {
        var stream = z_stream()
        let initStatus = deflateInit2_(&stream, Int32(level), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                       ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK, "deflateInit2 failed")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        var out = [UInt8](repeating: 0, count: bound)
        var scratch: UInt8 = 0
        let written = out.withUnsafeMutableBytes { dst -> Int in
            withUnsafeMutablePointer(to: &scratch) { empty in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self)) ?? empty
                stream.avail_in = uInt(input.count)
                stream.next_out = dst.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(dst.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate did not finish in a buffer sized by deflateBound")
                return dst.count - Int(stream.avail_out)
            }
        }
        out.removeSubrange(written...)
        return out
    }
}
