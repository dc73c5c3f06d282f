import Columnar
import Parquet
import Synchronization

/// Each data file's row count and top-level fields, which describing a table
/// needs, without opening files already seen: kept in memory per (location,
/// size, modification time) and in the metastore (when it is a
/// `FileSummaryStore`), so that a new process, too, lists and describes a
/// partitioned table from the listing and one metastore query, and opens only
/// the footers of the files its scan keeps after partition pruning.
///
/// A file seen for the first time (or changed) has its footer read once,
/// through the footer cache; its summary is then recorded. Recording is best
/// effort: a read-only lake still works, it just reads footers every time.
final class FileSummaryCache: Sendable {
    struct Key: Hashable, Sendable {
        var location: String
        var size: Int
        var modified: Int64
    }

    struct Entry: Sendable {
        var rowCount: Int64
        var fields: [Field]
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Decoded schemas by a hash of their encoding (then compared byte for byte):
        /// files written alike decode once.
        var schemas: [UInt64: [(encoded: [UInt8], fields: [Field])]] = [:]
        var lastSchema: (encoded: [UInt8], fields: [Field])?
    }

    private let store: (any FileSummaryStore)?
    private let state = Mutex(State())
    /// Past this many entries the memory map starts over (the metastore still has them).
    private let capacity: Int

    init(metastore: any Metastore, capacity: Int = 1 << 20) {
        self.store = metastore as? any FileSummaryStore
        self.capacity = capacity
    }

    /// The summary of each of `objects` (data files of one table under `prefix` of `store`), in order.
    func summaries(of objects: [ObjectInfo], store objectStore: any ObjectStore, prefix: String,
                   footers: FooterCache) throws(LakeError) -> [Entry] {
        let keys = objects.map { Key(location: objectStore.location(of: $0.path), size: $0.size, modified: $0.modified) }
        var found: [Entry?] = state.withLock { s in keys.map { s.entries[$0] } }
        var missing = found.indices.filter { found[$0] == nil }
        if missing.isEmpty { return found.map { $0! } }

        // 1. The metastore: one query for the table's location.
        var stale: [String] = []
        if let store, let recorded = try? store.fileSummaries(under: objectStore.location(of: prefix)), !recorded.isEmpty {
            var byKey: [Key: FileSummary] = [:]
            for r in recorded { byKey[Key(location: r.location, size: r.size, modified: r.modified)] = r }
            // Files no longer listed: forgotten when this description records anything.
            let listed = Set(keys.map(\.location))
            stale = recorded.map(\.location).filter { !listed.contains($0) }
            for i in missing {
                guard let r = byKey[keys[i]], let fields = decode(r.encodedSchema) else { continue }
                found[i] = Entry(rowCount: r.rowCount, fields: fields)
            }
            remember(missing.compactMap { i in found[i].map { (keys[i], $0) } })
            missing = missing.filter { found[$0] == nil }
        }

        // 2. Footers of the files never summarized, then recorded.
        var fresh: [FileSummary] = []
        for i in missing {
            let file = try TableDiscovery.footer(of: objects[i], store: objectStore, footers: footers)
            let encoded = file.encodedSchema
            let fields = known(encoded) ?? file.fields()
            rememberSchema(encoded, fields)
            found[i] = Entry(rowCount: file.metadata.numRows, fields: fields)
            fresh.append(FileSummary(location: keys[i].location, size: keys[i].size, modified: keys[i].modified,
                                     rowCount: file.metadata.numRows, encodedSchema: encoded))
        }
        remember(missing.map { (keys[$0], found[$0]!) })
        if let store, !fresh.isEmpty { try? store.saveFileSummaries(fresh, forgetting: stale) }
        return found.map { $0! }
    }

    /// The fields of an encoded schema already decoded, if any.
    private func known(_ encoded: [UInt8]) -> [Field]? {
        state.withLock { s -> [Field]? in
            // Consecutive files usually share one schema (and the metastore one array): no hashing then.
            if let last = s.lastSchema, last.encoded == encoded { return last.fields }
            return s.schemas[Self.hash(encoded)]?.first { $0.encoded == encoded }?.fields
        }
    }

    /// The fields of an encoded schema, decoded once per distinct encoding.
    private func decode(_ encoded: [UInt8]) -> [Field]? {
        if let fields = known(encoded) { return fields }
        guard let fields = try? ParquetFile.fields(encodedSchema: encoded) else { return nil }
        rememberSchema(encoded, fields)
        return fields
    }

    private func rememberSchema(_ encoded: [UInt8], _ fields: [Field]) {
        state.withLock { s in
            let h = Self.hash(encoded)
            if !(s.schemas[h]?.contains { $0.encoded == encoded } ?? false) { s.schemas[h, default: []].append((encoded, fields)) }
            s.lastSchema = (encoded, fields)
        }
    }

    private static func hash(_ bytes: [UInt8]) -> UInt64 {
        var h = FNV1a()
        h.add(bytes)
        return h.value
    }

    private func remember(_ entries: [(Key, Entry)]) {
        guard !entries.isEmpty else { return }
        state.withLock { s in
            if s.entries.count + entries.count > capacity { s.entries.removeAll() }
            for (k, e) in entries { s.entries[k] = e }
        }
    }
}
