import Columnar
import Lake

/// A table as one statement read it: its version changes with its files
/// (paths, sizes, modification times), so a cached result keyed by it is never
/// served after the data changed.
struct TableVersion: Hashable, Sendable {
    var schema: String
    var name: String
    var version: UInt64
}

/// What a bound statement read: lake tables (with versions) and whether it
/// read the system catalog (whose rows change with the catalog, unversioned).
struct RelationsRead: Sendable {
    var tables: [TableVersion] = []
    var system = false
}

/// Results of recent queries, shared by every session of an engine, so a
/// dashboard refreshing the same query does not scan the lake again. Keyed by
/// the normalized statement, its parameters, who asks (their effective
/// permissions), the settings that change results, and the versions of every
/// table read; bounded in bytes, least recently used first out.
public final class ResultCache: @unchecked Sendable {
    struct Key: Hashable {
        var statement: String
        var parameters: [ParameterValue]
        var principal: Principal
        var searchPath: [String]
        var tables: [TableVersion]
        /// The access policy's version at binding: a GRANT, REVOKE or filter change starts afresh.
        var policyVersion: UInt64 = 0
    }

    /// The statement exactly as the client sent it: a hit here skips parsing, binding
    /// and planning, once every table it read is checked to be unchanged.
    struct TextKey: Hashable {
        var text: String
        var parameters: [ParameterValue]
        var principal: Principal
        var searchPath: [String]
        /// The access policy's version: after a GRANT or REVOKE the text is bound afresh.
        var policyVersion: UInt64 = 0
    }

    struct Entry {
        var fields: [Field]
        var batches: [RecordBatch]
        var bytes: Int
        var lastUse: UInt64
    }

    /// Counters for /metrics.
    public struct Statistics: Sendable {
        public var hits = 0
        public var misses = 0
        public var evictions = 0
        public var entries = 0
        public var bytes = 0
    }

    public let capacityBytes: Int
    /// A result larger than this is not kept (it would push out many small ones).
    public var maxEntryBytes: Int { capacityBytes / 8 }

    private let lock = Lock()
    private var entries: [Key: Entry] = [:]
    private var byText: [TextKey: (key: Key, audit: StatementAudit?)] = [:]
    /// The statement texts of `byText` (possibly a few whose entries went since).
    private var texts: Set<String> = []
    /// Texts remembered at most (a client sending ever new literals must not grow it without bound).
    static let maxTexts = 50_000
    private var clock: UInt64 = 0
    private var stats = Statistics()

    public init(capacityBytes: Int) {
        self.capacityBytes = max(0, capacityBytes)
    }

    public var statistics: Statistics { lock.withLock { stats } }

    /// The entry of `key`; one larger than `maxBytes` is left alone and not counted (the
    /// caller asks again without the limit).
    func lookup(_ key: Key, maxBytes: Int = .max) -> Entry? {
        lock.withLock {
            clock += 1
            guard var entry = entries[key] else {
                stats.misses += 1
                return nil
            }
            if entry.bytes > maxBytes { return nil }
            entry.lastUse = clock
            entries[key] = entry
            stats.hits += 1
            return entry
        }
    }

    /// The cached result of `text`, when its tables' current versions (from file listings
    /// only) are still the ones the result was computed from.
    /// Returns the entry and the audit record of the binding that produced it.
    func lookup(text: TextKey, maxBytes: Int = .max, currentVersion: (TableVersion) -> UInt64?) -> (entry: Entry, audit: StatementAudit?)? {
        guard let remembered = lock.withLock({ byText[text] }) else { return nil }
        for table in remembered.key.tables {
            guard let current = currentVersion(table), current == table.version else {
                lock.withLock { byText[text] = nil }
                return nil
            }
        }
        return lookup(remembered.key, maxBytes: maxBytes).map { ($0, remembered.audit) }
    }

    /// The tables the result remembered for `text` was computed from (nil: none remembered).
    func rememberedTables(text: TextKey) -> [TableVersion]? {
        lock.withLock { byText[text]?.key.tables }
    }

    /// Whether a result of statement text `sql` (with any parameters) may be cached: an
    /// in-memory check, before anything costlier (listing the tables' files) is tried.
    public func mayHold(text sql: String) -> Bool {
        lock.withLock { texts.contains(sql) }
    }

    /// Remembers which statement key a client's text resolved to, and how it was audited.
    func remember(_ text: TextKey, as key: Key, audit: StatementAudit?) {
        lock.withLock {
            if byText.count >= Self.maxTexts {
                byText.removeAll(keepingCapacity: true)
                texts.removeAll(keepingCapacity: true)
            }
            byText[text] = (key, audit)
            texts.insert(text.text)
        }
    }

    func insert(_ key: Key, fields: [Field], batches: [RecordBatch], bytes: Int) {
        guard bytes <= maxEntryBytes else { return }
        lock.withLock {
            clock += 1
            if let old = entries[key] { stats.bytes -= old.bytes }
            entries[key] = Entry(fields: fields, batches: batches, bytes: bytes, lastUse: clock)
            stats.bytes += bytes
            // Evict the least recently used until under capacity (a sort per eviction round is fine:
            // evictions are rare next to lookups, and the map holds at most a few thousand entries).
            if stats.bytes > capacityBytes {
                for (k, e) in entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) where stats.bytes > capacityBytes {
                    entries[k] = nil
                    stats.bytes -= e.bytes
                    stats.evictions += 1
                }
            }
            stats.entries = entries.count
        }
    }

    /// Functions whose result differs from call to call or from session to session:
    /// a statement naming any of them is never cached.
    static let volatileWords: Set<String> = [
        "now", "current_timestamp", "current_date", "current_time", "localtime", "localtimestamp", "clock_timestamp",
        "statement_timestamp", "transaction_timestamp", "timeofday", "random", "setseed", "gen_random_uuid",
        "pg_backend_pid", "current_user", "session_user", "current_role", "user", "current_setting", "set_config",
        "txid_current", "nextval", "currval", "pg_sleep", "inet_client_addr", "inet_server_port",
    ]

    /// True when the normalized statement text names a volatile function (a whole word).
    /// Runs on every cacheable statement: a scan over the UTF-8 bytes, no Characters.
    static func namesVolatileFunction(_ sql: String) -> Bool {
        var word: [UInt8] = []
        word.reserveCapacity(32)
        func isVolatile() -> Bool { word.count >= 3 && word.count <= 24 && volatileWords.contains(String(decoding: word, as: UTF8.self)) }
        for byte in sql.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte | 0x20)
            default:
                if !word.isEmpty {
                    if isVolatile() { return true }
                    word.removeAll(keepingCapacity: true)
                }
            }
        }
        return isVolatile()
    }
}
