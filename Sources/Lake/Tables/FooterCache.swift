import Parquet
import Synchronization

/// Parsed Parquet footers, kept per (location, size, modification time) so
/// that listing a table again, or querying it again, does not re-read and
/// re-decode its files' footers. A rewritten file has a new size or time and
/// so a new entry; an old entry keeps reading the old bytes it opened.
///
/// Each entry holds its file open (`ParquetFile` owns its `ByteSource`), so
/// the cache is bounded: past `capacity` entries the least recently used go.
final class FooterCache: Sendable {
    struct Key: Hashable, Sendable {
        var location: String
        var size: Int
        var modified: Int64
    }

    private struct Entry {
        var file: ParquetFile
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The cached footer of `key`, or `load()`'s (then cached). The load runs
    /// outside the lock: two threads may parse the same footer once each.
    func file(_ key: Key, load: () throws(LakeError) -> ParquetFile) throws(LakeError) -> ParquetFile {
        let cached: ParquetFile? = state.withLock { s in
            s.clock += 1
            guard var entry = s.entries[key] else {
                s.misses += 1
                return nil
            }
            s.hits += 1
            entry.lastUse = s.clock
            s.entries[key] = entry
            return entry.file
        }
        if let cached { return cached }
        let file = try load()
        state.withLock { s in
            s.clock += 1
            s.entries[key] = Entry(file: file, lastUse: s.clock)
            if s.entries.count > capacity { Self.evict(&s, keep: capacity * 3 / 4) }
        }
        return file
    }

    /// Drops the least recently used entries down to `keep`.
    private static func evict(_ s: inout State, keep: Int) {
        let order = s.entries.sorted { $0.value.lastUse < $1.value.lastUse }
        for (key, _) in order.prefix(s.entries.count - max(1, keep)) { s.entries[key] = nil }
    }

    var statistics: (entries: Int, hits: Int, misses: Int) {
        state.withLock { ($0.entries.count, $0.hits, $0.misses) }
    }

    func removeAll() {
        state.withLock { $0.entries.removeAll() }
    }
}
