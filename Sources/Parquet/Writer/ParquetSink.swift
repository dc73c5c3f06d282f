#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `ParquetWriter` puts the file's bytes, strictly in order.
public protocol ParquetSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError)
    /// Flushes and releases the destination; called once, by `ParquetWriter.close()`.
    func close() throws(ParquetError)
}

extension ParquetSink {
    public func write(_ bytes: [UInt8]) throws(ParquetError) {
        let failure: ParquetError? = bytes.withUnsafeBytes { raw in
            do throws(ParquetError) { try write(raw) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }
}

/// A local file, written with `write(2)` in large buffered chunks.
public final class FileSink: ParquetSink {
    public let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let bufferLimit: Int

    /// Creates (or truncates) the file at `path`. `bufferSize`: bytes gathered before each
    /// write(2) (small when many files are open at once, as in a partitioned ingest).
    public init(path: String, bufferSize: Int = 4 << 20) throws(ParquetError) {
        self.path = path
        self.bufferLimit = max(1, bufferSize)
        #if canImport(Darwin)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #else
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        #endif
        guard fd >= 0 else { throw ParquetError(.io, "cannot create \(path): \(String(cString: strerror(errno)))") }
        self.fd = fd
        buffer.reserveCapacity(bufferLimit)
    }

    deinit { if fd >= 0 { _ = Glibc_or_Darwin_close(fd) } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        if buffer.count + bytes.count > bufferLimit { try flush() }
        if bytes.count >= bufferLimit {
            try writeFully(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    public func close() throws(ParquetError) {
        guard fd >= 0 else { return }
        try flush()
        let result = Glibc_or_Darwin_close(fd)
        fd = -1
        guard result == 0 else { throw ParquetError(.io, "cannot close \(path): \(String(cString: strerror(errno)))") }
    }

    private func flush() throws(ParquetError) {
        guard !buffer.isEmpty else { return }
        let failure: ParquetError? = buffer.withUnsafeBytes { raw in
            do throws(ParquetError) { try writeFully(raw) } catch { return error }
            return nil
        }
        if let failure { throw failure }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        guard fd >= 0 else { throw ParquetError(.io, "write to \(path) after close") }
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = Glibc_or_Darwin_write(fd, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "write to \(path) failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }
}

@inline(__always) private func Glibc_or_Darwin_close(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(fd)
    #else
    Darwin.close(fd)
    #endif
}

@inline(__always) private func Glibc_or_Darwin_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, p, n)
    #else
    Darwin.write(fd, p, n)
    #endif
}

/// The file kept in memory (tests; files sent over the network whole).
public final class MemorySink: ParquetSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) { self.bytes.append(contentsOf: bytes) }
    public func close() throws(ParquetError) {}
}
