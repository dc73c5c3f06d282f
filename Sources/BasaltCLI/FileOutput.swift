#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to a file descriptor: printing millions of rows through
/// `print` is far too slow.
final class FileOutput {
    nonisolated(unsafe) static let standardOutput = FileOutput(fd: 1)
    nonisolated(unsafe) static let standardError = FileOutput(fd: 2, bufferLimit: 0)

    private let fd: Int32
    private var buffer: [UInt8] = []
    private let bufferLimit: Int

    init(fd: Int32, bufferLimit: Int = 1 << 16) {
        self.fd = fd
        self.bufferLimit = bufferLimit
    }

    deinit { flush() }

    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count > bufferLimit { flush() }
    }

    func flush() {
        var done = 0
        buffer.withUnsafeBytes { raw in
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n <= 0 { break }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
