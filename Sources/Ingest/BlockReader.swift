#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts an input into blocks of whole records (CSV records or NDJSON lines),
/// so that blocks can be parsed independently, on several threads. A block is
/// at least `blockSize` bytes (the last one may be shorter); a record longer
/// than that makes its block grow until the record fits.
final class BlockReader {
    /// Where the last complete record of `bytes` ends (the index after its
    /// terminator), or nil when `bytes` holds no complete record.
    typealias BoundaryFinder = (UnsafeRawBufferPointer) -> Int?

    private let input: ByteInput
    private let name: String
    private var carry: [UInt8] = []
    private(set) var ended = false
    /// The most bytes one record may span (a runaway quote must not take all memory).
    static let maxRecordBytes = 1 << 30

    init(_ input: ByteInput, name: String) {
        self.input = input
        self.name = name
    }

    var sourceBytesRead: Int { input.sourceBytesRead }

    /// Reads until at least `count` bytes are buffered (or the input ends); returns them without consuming them.
    func sample(_ count: Int) throws(IngestError) -> [UInt8] {
        while carry.count < count && !ended { try fill(upTo: count) }
        return carry
    }

    /// Drops the first `count` buffered bytes (a header, a byte-order mark).
    func consume(_ count: Int) {
        carry.removeFirst(min(count, carry.count))
    }

    private func fill(upTo target: Int) throws(IngestError) {
        let start = carry.count
        let want = max(target - start, 1 << 16)
        carry.reserveCapacity(start + want)
        var got = 0
        carry.append(contentsOf: repeatElement(0, count: want))
        got = try carry.withMutableBytes { (b) throws(IngestError) -> Int in
            let dst = UnsafeMutableRawBufferPointer(rebasing: b[start..<(start + want)])
            var total = 0
            while total < want {
                let n = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: dst[total...]))
                if n == 0 { break }
                total += n
            }
            return total
        }
        carry.removeLast(want - got)
        if got < want { ended = true }
    }

    /// The next block of whole records, nil at the end of the input. `last`
    /// is true for the input's final block (which may end without a newline).
    func next(blockSize: Int, boundary: BoundaryFinder) throws(IngestError) -> (bytes: [UInt8], last: Bool)? {
        var target = blockSize
        while true {
            if carry.count < target && !ended { try fill(upTo: target) }
            if ended {
                if carry.isEmpty { return nil }
                let block = carry
                carry = []
                return (block, true)
            }
            if let end = carry.withUnsafeBytes(boundary), end > 0 {
                let block = Array(carry[0..<end])
                carry = Array(carry[end...])
                return (block, false)
            }
            guard target < Self.maxRecordBytes else {
                throw IngestError(.input, "\(name): a record is longer than \(Self.maxRecordBytes >> 20) MiB (an unterminated quote?)")
            }
            target = carry.count * 2
        }
    }

    // MARK: boundaries

    /// After the last newline (LF, else CR).
    static func lastLineEnd(_ s: UnsafeRawBufferPointer) -> Int? {
        var i = s.count - 1
        while i >= 0 { if s[i] == 10 { return i + 1 }; i -= 1 }
        i = s.count - 1
        while i >= 0 { if s[i] == 13 { return i + 1 }; i -= 1 }
        return nil
    }

    private static func lastByte(_ b: UInt8, in s: UnsafeRawBufferPointer, before end: Int) -> Int? {
        var i = end - 1
        while i >= 0 { if s[i] == b { return i }; i -= 1 }
        return nil
    }

    /// Occurrences of `b` in `s[from..<to]` (memchr skips the long runs without one).
    private static func count(_ b: UInt8, in s: UnsafeRawBufferPointer, from: Int, to: Int) -> Int {
        guard let base = s.baseAddress, to > from else { return 0 }
        var n = 0
        var p = base + from
        let end = base + to
        while p < end, let hit = memchr(p, Int32(b), end - p) {
            n += 1
            p = UnsafeRawPointer(hit) + 1
        }
        return n
    }

    /// After the last newline outside quotes (the block starts outside quotes).
    static func lastRecordEnd(_ s: UnsafeRawBufferPointer, dialect: CSVDialect) -> Int? {
        guard let quote = dialect.quote else { return lastLineEnd(s) }
        if dialect.escape == quote {
            // Doubled quotes keep the parity: a newline is outside quotes exactly
            // when an even number of quotes precede it.
            guard var p = lastByte(10, in: s, before: s.count) else { return nil }
            var quotes = count(quote, in: s, from: 0, to: p)
            while quotes & 1 == 1 {
                guard let earlier = lastByte(10, in: s, before: p) else { return nil }
                quotes -= count(quote, in: s, from: earlier, to: p)
                p = earlier
            }
            return p + 1
        }
        var inQuotes = false
        var lastOutside: Int? = nil
        var i = 0
        while i < s.count {
            let c = s[i]
            if inQuotes {
                if c == dialect.escape { i += 2; continue }
                if c == quote { inQuotes = false }
            } else if c == quote {
                inQuotes = true
            } else if c == 10 {
                lastOutside = i + 1
            }
            i += 1
        }
        return lastOutside
    }
}
