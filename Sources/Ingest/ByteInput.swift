#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Compression

/// A stream of input bytes (a file, standard input, or either decompressed).
protocol ByteInput: AnyObject {
    /// Reads up to `buffer.count` bytes; 0 at the end of the input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int
    /// Bytes taken from the underlying file so far (compressed bytes for
    /// compressed inputs), for progress against the file's size.
    var sourceBytesRead: Int { get }
}

/// A file or standard input, read with read(2).
final class FileInput: ByteInput {
    let name: String
    private var fd: Int32
    private let ownsDescriptor: Bool
    private(set) var sourceBytesRead = 0

    /// Opens `path`, or standard input for "-".
    init(path: String) throws(IngestError) {
        name = path
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            fd = open(path, O_RDONLY)
            ownsDescriptor = true
            guard fd >= 0 else { throw IngestError(.input, "cannot open \(path): \(String(cString: strerror(errno)))") }
        }
    }

    deinit { if ownsDescriptor && fd >= 0 { close(fd) } }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, base, buffer.count)
            #else
            let n = Darwin.read(fd, base, buffer.count)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                throw IngestError(.input, "cannot read \(name): \(String(cString: strerror(errno)))")
            }
            sourceBytesRead += n
            return n
        }
    }
}

/// The first bytes of an input can be looked at (format and compression
/// detection) and are then read again as part of the stream.
final class PeekableInput: ByteInput {
    private let source: ByteInput
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var ended = false

    init(_ source: ByteInput) { self.source = source }

    var sourceBytesRead: Int { source.sourceBytesRead }

    /// Up to `count` first bytes still unread (fewer only at the end of the input).
    func peek(_ count: Int) throws(IngestError) -> [UInt8] {
        while pending.count - pendingStart < count && !ended {
            var chunk = [UInt8](repeating: 0, count: max(65_536, count))
            let n = try chunk.withMutableBytes { (b) throws(IngestError) -> Int in try source.read(into: b) }
            if n == 0 { ended = true; break }
            pending.append(contentsOf: chunk[0..<n])
        }
        return Array(pending[pendingStart..<min(pending.count, pendingStart + count)])
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        if pendingStart < pending.count {
            let n = min(buffer.count, pending.count - pendingStart)
            pending.withUnsafeBytes { p in
                buffer.baseAddress!.copyMemory(from: p.baseAddress! + pendingStart, byteCount: n)
            }
            pendingStart += n
            if pendingStart == pending.count { pending = []; pendingStart = 0 }
            return n
        }
        if ended { return 0 }
        return try source.read(into: buffer)
    }
}

/// Decompresses another input as it is read (gzip or zstd).
final class DecompressingInput: ByteInput {
    private let source: ByteInput
    private let decoder: any StreamDecoder
    private let name: String
    private var input = [UInt8](repeating: 0, count: 1 << 20)
    private var inputStart = 0, inputEnd = 0
    private var sourceEnded = false

    init(_ source: ByteInput, format: StreamFormat, name: String) throws(IngestError) {
        self.source = source
        self.name = name
        do { decoder = try format.makeDecoder() } catch { throw IngestError(.input, "\(name): \(error)") }
    }

    var sourceBytesRead: Int { source.sourceBytesRead }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        while true {
            if inputStart == inputEnd && !sourceEnded {
                let n = try input.withMutableBytes { (b) throws(IngestError) -> Int in try source.read(into: b) }
                inputStart = 0
                inputEnd = n
                if n == 0 { sourceEnded = true }
            }
            if inputStart == inputEnd && sourceEnded {
                // The decoder may still hold output.
                let (_, produced) = try decode(UnsafeRawBufferPointer(start: nil, count: 0), into: buffer)
                if produced > 0 { return produced }
                guard decoder.atStreamEnd else {
                    throw IngestError(.input, "\(name): the compressed stream is truncated (it ends before its end marker)")
                }
                return 0
            }
            let (consumed, produced) = try input.withBytes { (all) throws(IngestError) -> (Int, Int) in
                try decode(UnsafeRawBufferPointer(rebasing: all[inputStart..<inputEnd]), into: buffer)
            }
            inputStart += consumed
            if produced > 0 { return produced }
            if consumed == 0 && inputStart < inputEnd {
                throw IngestError(.input, "\(name): the decompressor made no progress (corrupt input)")
            }
        }
    }

    private func decode(_ input: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> (Int, Int) {
        do {
            return try decoder.decode(input, into: buffer)
        } catch {
            throw IngestError(.input, "\(name): \(error)")
        }
    }
}

/// Bytes already in memory (previews, tests).
final class MemoryInput: ByteInput {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var sourceBytesRead: Int { position }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        let n = min(buffer.count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { b in buffer.baseAddress!.copyMemory(from: b.baseAddress! + position, byteCount: n) }
        position += n
        return n
    }
}
