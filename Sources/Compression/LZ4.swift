import CLZ4

enum LZ4 {
    static func decompressRaw(_ input: UnsafeRawBufferPointer, expected: Int) throws(CompressionError) -> [UInt8] {
        if expected == 0 { return [] }
        // An LZ4 block expands at most ~255x: a larger claim cannot be honest.
        guard expected <= input.count &* 255 &+ 16, expected <= Int(Int32.max) else {
            throw CompressionError("lz4: page header claims \(expected) bytes from \(input.count) compressed")
        }
        var out = [UInt8](repeating: 0, count: expected)
        let n = out.withUnsafeMutableBytes { dst in
            LZ4_decompress_safe(input.baseAddress?.assumingMemoryBound(to: CChar.self),
                                dst.baseAddress!.assumingMemoryBound(to: CChar.self),
                                Int32(input.count), Int32(expected))
        }
        guard n >= 0 else { throw CompressionError("lz4: corrupt block") }
        out.removeSubrange(Int(n)...)
        return out
    }

    /// Hadoop framing: repeated [u32 BE uncompressed length][u32 BE compressed length][block].
    /// Falls back to one raw block, as arrow does for files from writers that used no framing.
    static func decompressHadoop(_ input: UnsafeRawBufferPointer, expected: Int) throws(CompressionError) -> [UInt8] {
        if let framed = try? decompressHadoopFrames(input, expected: expected) { return framed }
        return try decompressRaw(input, expected: expected)
    }

    private static func decompressHadoopFrames(_ input: UnsafeRawBufferPointer, expected: Int) throws(CompressionError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(expected, input.count &* 255))
        var pos = 0
        func readBE(_ at: Int) -> Int {
            Int(input[at]) << 24 | Int(input[at + 1]) << 16 | Int(input[at + 2]) << 8 | Int(input[at + 3])
        }
        while pos < input.count {
            guard input.count - pos >= 8 else { throw CompressionError("lz4: truncated hadoop frame header") }
            let rawLength = readBE(pos)
            let compressedLength = readBE(pos + 4)
            pos += 8
            guard compressedLength <= input.count - pos, out.count + rawLength <= expected else {
                throw CompressionError("lz4: hadoop frame exceeds its page")
            }
            let block = UnsafeRawBufferPointer(rebasing: input[pos..<(pos + compressedLength)])
            out += try decompressRaw(block, expected: rawLength)
            pos += compressedLength
        }
        guard out.count == expected else { throw CompressionError("lz4: hadoop frames hold \(out.count) bytes") }
        return out
    }

    static func compressRaw(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let capacity = Int(LZ4_compressBound(Int32(input.count)))
        var out = [UInt8](repeating: 0, count: max(capacity, 1))
        let n = out.withUnsafeMutableBytes { dst in
            LZ4_compress_default(input.baseAddress?.assumingMemoryBound(to: CChar.self),
                                 dst.baseAddress!.assumingMemoryBound(to: CChar.self),
                                 Int32(input.count), Int32(capacity))
        }
        precondition(input.isEmpty || n > 0, "LZ4_compress_default failed")
        out.removeSubrange(Int(n)...)
        return out
    }

    static func compressHadoop(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let block = compressRaw(input)
        func be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
        return be(input.count) + be(block.count) + block
    }
}
