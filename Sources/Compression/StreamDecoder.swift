/// Decompression of a stream that arrives piece by piece (a gzip- or
/// zstd-compressed input file read in blocks), as opposed to `Decompressor`'s
/// single-shot pages. The caller feeds input and drains output through fixed
/// buffers, so memory stays bounded whatever the stream's size.
public protocol StreamDecoder: AnyObject {
    /// Decompresses from `input` into `output` until either is used up (or the
    /// stream ends). `consumed` input bytes were used, `produced` output bytes written.
    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CompressionError)
        -> (consumed: Int, produced: Int)
    /// True when the input fed so far ends exactly at the end of a complete
    /// stream (a truncated file is detected by this being false at end of input).
    var atStreamEnd: Bool { get }
}

/// Which streaming format a file's first bytes announce.
public enum StreamFormat: String, Sendable {
    case gzip, zstd

    /// gzip: 1f 8b; zstd: the frame magic 28 b5 2f fd.
    public static func detect(_ prefix: some Collection<UInt8>) -> StreamFormat? {
        let p = Array(prefix.prefix(4))
        if p.count >= 2 && p[0] == 0x1f && p[1] == 0x8b { return .gzip }
        if p.count >= 4 && p == [0x28, 0xb5, 0x2f, 0xfd] { return .zstd }
        return nil
    }

    public func makeDecoder() throws(CompressionError) -> any StreamDecoder {
        switch self {
        case .gzip: try GzipStreamDecoder()
        case .zstd: try ZstdStreamDecoder()
        }
    }
}
