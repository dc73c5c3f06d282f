import CSnappy

enum Snappy {
    static func decompress(_ input: UnsafeRawBufferPointer, expected: Int) throws(CompressionError) -> [UInt8] {
        guard let src = input.baseAddress?.assumingMemoryBound(to: CChar.self) else {
            if expected == 0 { return [] }
            throw CompressionError("snappy: empty input")
        }
        var length = 0
        guard snappy_uncompressed_length(src, input.count, &length) == SNAPPY_OK else {
            throw CompressionError("snappy: invalid stream header")
        }
        guard length == expected else {
            throw CompressionError("snappy: stream holds \(length) bytes, page header says \(expected)")
        }
        var out = [UInt8](repeating: 0, count: length)
        var outLength = length
        let status = out.withUnsafeMutableBytes { dst in
            snappy_uncompress(src, input.count, dst.baseAddress?.assumingMemoryBound(to: CChar.self), &outLength)
        }
        guard status == SNAPPY_OK, outLength == length else { throw CompressionError("snappy: corrupt stream") }
        return out
    }

    static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var capacity = snappy_max_compressed_length(input.count)
        var out = [UInt8](repeating: 0, count: capacity)
        let empty: [CChar] = [0]
        let status = out.withUnsafeMutableBytes { dst in
            empty.withUnsafeBufferPointer { e in
                snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self) ?? e.baseAddress!, input.count,
                                dst.baseAddress!.assumingMemoryBound(to: CChar.self), &capacity)
            }
        }
        precondition(status == SNAPPY_OK, "snappy_compress failed on a buffer sized by snappy_max_compressed_length")
        out.removeSubrange(capacity...)
        return out
    }
}
