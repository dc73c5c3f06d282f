#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a Parquet file's bytes come from. Readers ask for exact ranges (the
/// footer, one column chunk), so a remote object store can serve the same
/// calls with ranged GETs.
public protocol ByteSource: Sendable {
    var size: Int { get }
    func read(offset: Int, length: Int) throws(ParquetError) -> [UInt8]
    /// Reads `buffer.count` bytes at `offset` into `buffer` (readers reuse one buffer
    /// from chunk to chunk). The default implementation copies what `read(offset:length:)` returns.
    func read(offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ParquetError)
    /// All of the source's bytes in place, when it holds them in memory (a mapped file),
    /// valid while the source lives: readers decode column chunks from there without
    /// copying them. Nil (the default): read them.
    var mappedBytes: UnsafeRawBufferPointer? { get }
}

extension ByteSource {
    public var mappedBytes: UnsafeRawBufferPointer? { nil }

    public func read(offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        let bytes = try read(offset: offset, length: buffer.count)
        guard bytes.count == buffer.count else {
            throw ParquetError(.io, "read of \(buffer.count) bytes at \(offset) returned \(bytes.count)")
        }
        if let base = buffer.baseAddress, !bytes.isEmpty { bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
    }
}

/// A local file, safe to share between threads. It is mapped into memory when it opens,
/// so column chunks are decoded straight from the page cache (no copy into a buffer;
/// footers are cached with their file, so a mapping serves every query that reads it);
/// `pread` serves where mapping fails. Lake files are never rewritten in place (writes
/// land under a temporary name and are renamed), so a mapped file does not shrink under
/// a reader.
public final class LocalFile: ByteSource, @unchecked Sendable {
    public let path: String
    public let size: Int
    private let fd: Int32
    private let mapping: UnsafeMutableRawPointer?
    /// Whether files opened from now on are mapped (tests turn it off to cover `pread`).
    nonisolated(unsafe) public static var mapsFiles = true

    public var mappedBytes: UnsafeRawBufferPointer? {
        mapping.map { UnsafeRawBufferPointer(start: $0, count: size) }
    }

    public init(path: String) throws(ParquetError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ParquetError(.io, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw ParquetError(.io, "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ParquetError(.io, "\(path) is a directory, not a Parquet file")
        }
        self.fd = fd
        self.size = Int(st.st_size)
        var mapping: UnsafeMutableRawPointer?
        if Self.mapsFiles, size > 0, let p = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), p != MAP_FAILED {
            mapping = p
        }
        self.mapping = mapping
    }

    deinit {
        if let mapping { munmap(mapping, size) }
        close(fd)
    }

    public func read(offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        let length = buffer.count
        guard offset >= 0, offset <= size, length <= size - offset else {
            throw ParquetError.corrupt("byte range \(offset)+\(length) lies outside the file (\(size) bytes)")
        }
        guard let base = buffer.baseAddress, length > 0 else { return }
        var done = 0
        while done < length {
            let n = pread(fd, base + done, length - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "read of \(path) failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { throw ParquetError(.io, "\(path) ended early at byte \(offset + done)") }
            done += n
        }
    }

    public func read(offset: Int, length: Int) throws(ParquetError) -> [UInt8] {
        guard offset >= 0, length >= 0, offset <= size, length <= size - offset else {
            throw ParquetError.corrupt("byte range \(offset)+\(length) lies outside the file (\(size) bytes)")
        }
        var failure: ParquetError?
        let out = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            var done = 0
            while done < length {
                let n = pread(fd, buffer.baseAddress! + done, length - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = ParquetError(.io, "read of \(path) failed: \(String(cString: strerror(errno)))")
                    break
                }
                if n == 0 {
                    failure = ParquetError(.io, "\(path) ended early at byte \(offset + done)")
                    break
                }
                done += n
            }
            initialized = failure == nil ? length : 0
        }
        if let failure { throw failure }
        return out
    }
}

/// A file held in memory (tests, and bytes that arrived whole over the network).
public struct InMemoryFile: ByteSource {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var size: Int { bytes.count }

    public func read(offset: Int, length: Int) throws(ParquetError) -> [UInt8] {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw ParquetError.corrupt("byte range \(offset)+\(length) lies outside the file (\(bytes.count) bytes)")
        }
        return Array(bytes[offset..<(offset + length)])
    }

    public func read(offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        let length = buffer.count
        guard offset >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw ParquetError.corrupt("byte range \(offset)+\(length) lies outside the file (\(bytes.count) bytes)")
        }
        guard let base = buffer.baseAddress, length > 0 else { return }
        bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + offset, byteCount: length) }
    }
}
