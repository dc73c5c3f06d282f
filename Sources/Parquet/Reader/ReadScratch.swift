import Compression
import Synchronization

/// Buffers a column chunk read needs only while it runs: the chunk's raw bytes and a
/// `Decompressor` (its output buffer and codec state). Kept in a small pool and reused
/// from chunk to chunk, so a scan allocates (and the kernel zero-fills pages for) them
/// once per worker rather than once per chunk and page.
final class ReadScratch: @unchecked Sendable {
    let decompressor = Decompressor()
    private var chunk: UnsafeMutableRawPointer
    private var chunkCapacity: Int

    private init() {
        chunkCapacity = 64
        chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkCapacity, alignment: 64)
    }

    deinit { chunk.deallocate() }

    /// Room for `count` bytes (old contents discarded).
    func chunkBuffer(_ count: Int) -> UnsafeMutableRawBufferPointer {
        if count > chunkCapacity {
            chunk.deallocate()
            chunkCapacity = Swift.max(count, chunkCapacity &* 2)
            chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkCapacity, alignment: 64)
        }
        return UnsafeMutableRawBufferPointer(start: chunk, count: count)
    }

    /// Pooled scratch is only kept while it holds at most this many bytes.
    static let keepLimit = 256 << 20
    /// At most this many are pooled (more than the cores a scan uses at once).
    static let poolSize = 16
    private static let pool = Mutex<[ReadScratch]>([])

    static func take() -> ReadScratch {
        pool.withLock { $0.popLast() } ?? ReadScratch()
    }

    static func give(_ scratch: ReadScratch) {
        guard scratch.chunkCapacity <= keepLimit, scratch.decompressor.bufferCapacity <= keepLimit else { return }
        pool.withLock { if $0.count < poolSize { $0.append(scratch) } }
    }
}
