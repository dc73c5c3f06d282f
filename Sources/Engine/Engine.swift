import Columnar
import Lake
import Parquet
import SQL

/// The query engine over one lake: parses, binds, plans and runs statements.
/// Thread-safe: sessions on many connections share one Engine.
public final class Engine: Sendable {
    public let lake: Lake
    public let configuration: EngineConfiguration
    public let policy: any AccessPolicy
    /// Results of recent queries, shared by all sessions (see ResultCache).
    public let resultCache: ResultCache

    public var lakePath: String { lake.root }

    /// Opens the lake at `lakePath` (a directory; its metastore lives in `_basalt/`).
    public convenience init(lakePath: String, configuration: EngineConfiguration = EngineConfiguration()) throws(EngineError) {
        let lake: Lake
        do { lake = try Lake(path: lakePath) } catch { throw .io("\(error)") }
        self.init(lake: lake, configuration: configuration)
    }

    public init(lake: Lake, configuration: EngineConfiguration = EngineConfiguration(), policy: any AccessPolicy = AllowAllPolicy()) {
        self.lake = lake
        self.configuration = configuration
        self.policy = policy
        self.resultCache = ResultCache(capacityBytes: configuration.resultCacheBytes)
    }

    /// Runs one statement (a trailing semicolon is allowed) in a fresh session.
    public func execute(_ sql: String) throws(EngineError) -> QueryResult {
        let session = Session(engine: self)
        return try session.execute(sql)
    }
}

/// Settings an engine starts with; `SET` changes them per session.
public struct EngineConfiguration: Sendable {
    /// Worker threads per query (decoding and filtering run on all of them).
    public var threads: Int
    /// Bytes a query may hold in hash tables, sorts and buffers.
    public var memoryLimit: Int
    /// Schemas searched for unqualified table names, in order.
    public var searchPath: [String]
    /// Bytes of query results kept for repeated queries (0: no result cache).
    public var resultCacheBytes: Int = 256 << 20
    /// Scans skip the data pages their page index rules out (`basalt.page_pruning`;
    /// off reads whole column chunks, to compare).
    public var pagePruning = true
    /// Scans with filters decode the filters' columns first and the others only for the
    /// rows that pass (`basalt.late_materialization`; off decodes every column at once).
    public var lateMaterialization = true
    /// A join whose probe side lower joins filter reads that side ahead and, when it is
    /// small, filters its build side's scan by its keys (`basalt.build_side_reduction`).
    public var buildSideReduction = true

    public init(threads: Int? = nil, memoryLimit: Int = 4 << 30, searchPath: [String] = ["public"]) {
        self.threads = threads ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        self.memoryLimit = memoryLimit
        self.searchPath = searchPath
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
