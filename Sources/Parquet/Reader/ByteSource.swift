import CFileSystem
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
    /// All of the source's bytes in place, when it holds them in memory (a mapped file) and
    /// they still reach `end`; valid while the source lives: readers decode column chunks
    /// from there without copying them. Nil (the default): read them.
    func mappedBytes(covering end: Int) -> UnsafeRawBufferPointer?
}

extension ByteSource {
    public func mappedBytes(covering end: Int) -> UnsafeRawBufferPointer? { nil }

    public func read(offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        let bytes = try read(offset: offset, length: buffer.count)
        guard bytes.count == buffer.count else {
            throw ParquetError(.io, "read of \(buffer.count) bytes at \(offset) returned \(bytes.count)")
        }
        if let base = buffer.baseAddress, !bytes.isEmpty { bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
    }
}

/// A local file read with `pread`, safe to share between threads. A lake's files may also
/// be mapped into memory (`mapped`), so column chunks are decoded straight from the page
/// cache without a copy (footers are cached with their file, so a mapping serves every
/// query that reads it). Touching a mapped page the file no longer has is a SIGBUS, not an
/// error, so mapping is kept to where that cannot be caused by the file system: local file
/// systems only (a network file system's failed read would be one), files the lake writes
/// under a temporary name and renames (never truncated in place), and a size check before
/// each chunk (a file an outside program truncates after opening is then read with `pread`,
/// which reports it; only a truncation during that chunk's decoding escapes the check).
public final class LocalFile: ByteSource, @unchecked Sendable {
    public let path: String
    public let size: Int
    private let fd: Int32
    private let mapping: UnsafeMutableRawPointer?

    /// Whether the file is mapped into memory.
    public var isMapped: Bool { mapping != nil }

    public func mappedBytes(covering end: Int) -> UnsafeRawBufferPointer? {
        guard let mapping, end <= size else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, Int(st.st_size) >= end else { return nil }
        return UnsafeRawBufferPointer(start: mapping, count: size)
    }

    /// File systems whose mapped pages are read from a local disk or memory: ext2-4, XFS,
    /// Btrfs, ZFS, F2FS, tmpfs, ramfs and overlayfs.
    static let localFileSystems: Set<Int64> = [0xEF53, 0x5846_5342, 0x9123_683E, 0x2FC1_2FC1, 0xF2F5_2010, 0x0102_1994, 0x8584_58F6,
                                               0x794C_7630]

    /// Whether files at `path` can be mapped (it lies on a local file system).
    public static func mapsFiles(at path: String) -> Bool {
        localFileSystems.contains(Int64(basalt_file_system_type(path)))
    }

    /// Opens `path`; `mapped` maps it too when its file system is local (see above).
    public init(path: String, mapped: Bool = false) throws(ParquetError) {
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
        if mapped, size > 0, Self.mapsFiles(at: path), let p = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), p != MAP_FAILED {
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
