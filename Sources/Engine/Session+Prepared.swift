import Columnar
import SQL

/// A statement parsed and described once, executed many times with different
/// parameters (the extended query protocol's Parse / Describe / Bind).
public final class PreparedStatement: @unchecked Sendable {
    public let sql: String
    /// nil for an empty query string.
    public let statement: Statement?
    /// The type of each `$n`: declared by the client or inferred; text when nothing decides.
    public let parameterTypes: [DataType]
    /// What the client declared (0: unspecified), kept so ParameterDescription echoes it.
    public let declaredParameterOIDs: [Int32]
    /// The result columns; empty when the statement returns no rows.
    public let fields: [Field]

    public init(sql: String, statement: Statement?, parameterTypes: [DataType], declaredParameterOIDs: [Int32], fields: [Field]) {
        self.sql = sql
        self.statement = statement
        self.parameterTypes = parameterTypes
        self.declaredParameterOIDs = declaredParameterOIDs
        self.fields = fields
    }

    /// The OID of each parameter, for ParameterDescription.
    public var parameterOIDs: [Int32] {
        parameterTypes.enumerated().map { i, type in
            i < declaredParameterOIDs.count && declaredParameterOIDs[i] != 0 ? declaredParameterOIDs[i] : PostgresType.of(type).oid
        }
    }
}

/// A statement text as one session described it.
struct DescribedStatementKey: Hashable {
    var sql: String
    var declared: [Int32]
    var principal: Principal
    var searchPath: [String]
}

/// The rows of one executing statement, pulled batch by batch so a client can
/// fetch a few rows at a time (Execute with a row limit) and a cancel can stop it.
public final class QueryCursor {
    public let fields: [Field]
    private var source: () throws(EngineError) -> RecordBatch?
    private let cancellation: CancellationFlag
    private let tag: (Int) -> String
    public private(set) var rowsReturned = 0
    public private(set) var isFinished = false
    /// Files, row groups and pages the statement's scans read and skipped (zero for a cache hit).
    public var scanTotals: ScanTotals { totals() }
    /// True when the rows come from the result cache.
    public internal(set) var fromCache = false
    var totals: () -> ScanTotals = { ScanTotals() }

    init(fields: [Field], cancellation: CancellationFlag, tag: @escaping (Int) -> String,
         source: @escaping () throws(EngineError) -> RecordBatch?) {
        self.fields = fields
        self.cancellation = cancellation
        self.tag = tag
        self.source = source
    }

    /// The next non-empty batch; nil at the end.
    public func next() throws(EngineError) -> RecordBatch? {
        guard !isFinished else { return nil }
        while true {
            let next: RecordBatch?
            do throws(EngineError) {
                try cancellation.check()
                next = try source()
            } catch {
                // A statement that failed stays failed (a cursor fetched again after an error):
                // its operators are released and never pulled again.
                source = { () throws(EngineError) in throw EngineError("55000", "portal cannot be run: \(error.message)") }
                releaseOperators()
                throw error
            }
            guard let batch = next else {
                isFinished = true
                source = { nil }
                releaseOperators()
                return nil
            }
            if batch.rowCount == 0 { continue }
            rowsReturned += batch.rowCount
            // Results leave the engine without dictionaries: clients format them row by row,
            // where a plain column is one lookup and a dictionary two.
            return RecordBatch(fields: fields, columns: batch.columns.map { $0.materialized() }, rowCount: batch.rowCount)
        }
    }

    /// Drops the operator tree and its buffers (the scan totals, which refer to it, are kept
    /// as they are now): a portal may outlive its statement until CLOSE.
    private func releaseOperators() {
        let final = totals()
        totals = { final }
    }

    /// CommandComplete's tag ("SELECT 3", "CREATE TABLE", ...), once the rows are read.
    public var commandTag: String { tag(rowsReturned) }
}

extension Session {
    /// The result cache's key for the query just bound, or nil when it must not be cached
    /// (no cache, the system catalog read, a volatile function named).
    func cacheKey(_ statement: Statement) -> ResultCache.Key? {
        guard engine.resultCache.capacityBytes > 0, !relationsRead.system else { return nil }
        let text = statement.sql
        guard !ResultCache.namesVolatileFunction(text) else { return nil }
        let values = parameters?.values ?? []
        return ResultCache.Key(statement: text, parameters: values, principal: principal, searchPath: configuration.searchPath,
                               tables: relationsRead.tables, policyVersion: boundPolicyVersion)
    }

    /// Starts one client request (a batch of protocol messages up to Sync, or one simple
    /// query): table versions are checked once per request, so Parse and Execute of the
    /// same round trip list each table's files once.
    public func beginRequest() {
        versionMemo.removeAll(keepingCapacity: true)
    }

    /// Under `cacheOnly`: whether every table's current version is known without listing a
    /// directory (the lake's watch says nothing changed); the versions are then memoized.
    func versionsKnownWithoutListing(_ tables: [TableVersion]) -> Bool {
        for table in tables {
            let name = table.schema + "." + table.name
            if versionMemo[name] != nil { continue }
            guard let remembered = engine.lake.rememberedVersion(schema: table.schema, name: table.name) else { return false }
            versionMemo[name] = remembered
        }
        return true
    }

    /// A table's current version (from its file listing), memoized for this request.
    func currentVersion(of table: TableVersion) -> UInt64? {
        let name = table.schema + "." + table.name
        if let known = versionMemo[name] { return known }
        let current = try? engine.lake.currentVersion(schema: table.schema, name: table.name)
        versionMemo[name] = current ?? nil
        return current
    }

    /// Whether the result cache may hold a result of `sql`: cheap, checks nothing on disk.
    public func mayAnswerFromCache(_ sql: String) -> Bool {
        engine.resultCache.capacityBytes > 0 && engine.resultCache.mayHold(text: sql)
    }

    /// Parses and describes one statement. `parameterTypes` are the client's OIDs
    /// (0 or missing: infer from the statement).
    public func prepare(_ sql: String, parameterTypes declared: [Int32] = []) throws(EngineError) -> PreparedStatement {
        // Clients (pgbench -M extended, most drivers) send Parse for the same text again and
        // again: reuse the description while the tables it read are unchanged.
        let describedKey = DescribedStatementKey(sql: sql, declared: declared, principal: principal, searchPath: configuration.searchPath)
        if let (prepared, tables) = describedStatements[describedKey] {
            // The event loop lists nothing: a version not known without a listing is the worker's.
            if cacheOnly && !versionsKnownWithoutListing(tables) { throw .notCached }
            if tables.allSatisfy({ currentVersion(of: $0) == $0.version }) {
                return prepared
            }
            describedStatements[describedKey] = nil
        }
        if cacheOnly { throw .notCached }
        let prepared = try describe(sql, parameterTypes: declared)
        if case .query? = prepared.statement, !relationsRead.system {
            if describedStatements.count >= 256 { describedStatements.removeAll(keepingCapacity: true) }
            describedStatements[describedKey] = (prepared, relationsRead.tables)
        }
        return prepared
    }

    private func describe(_ sql: String, parameterTypes declared: [Int32]) throws(EngineError) -> PreparedStatement {
        relationsRead = RelationsRead()
        let statements: [Statement]
        do { statements = try Parser.parse(sql) } catch { throw EngineError("42601", error.message, position: error.position) }
        guard statements.count <= 1 else { throw EngineError("42601", "cannot insert multiple commands into a prepared statement") }
        var types: [DataType?] = []
        for oid in declared {
            if oid == 0 { types.append(nil); continue }
            guard let t = PostgresType.withOID(oid)?.dataType else { throw EngineError("42704", "type with OID \(oid) is not supported") }
            types.append(t)
        }
        guard let statement = statements.first else {
            return PreparedStatement(sql: sql, statement: nil, parameterTypes: [], declaredParameterOIDs: declared, fields: [])
        }
        let parameters = QueryParameters(types: types)
        self.parameters = parameters
        defer { self.parameters = nil }
        let fields: [Field]
        switch statement {
        case let .query(query), let .explain(.query(query), _, _):
            let (plan, names, _) = try prepare(query)
            if case .explain = statement {
                fields = [Field("QUERY PLAN", .string, nullable: false)]
            } else {
                fields = zip(names, plan.fields).map { Field($0, $1.type, nullable: $1.nullable) }
            }
        case let .show(name):
            fields = [Field(name, .string, nullable: false)]
        default:
            fields = []
        }
        var oids = declared + Array(repeating: 0, count: max(0, parameters.count - declared.count))
        for (k, oid) in parameters.wireOIDs where k <= oids.count && oids[k - 1] == 0 { oids[k - 1] = oid }
        return PreparedStatement(sql: sql, statement: statement, parameterTypes: parameters.types.map { $0 ?? .string },
                                 declaredParameterOIDs: oids, fields: fields)
    }

    /// Starts executing a prepared statement with these parameter values.
    public func open(_ prepared: PreparedStatement, parameters values: [ParameterValue]) throws(EngineError) -> QueryCursor {
        guard values.count == prepared.parameterTypes.count else {
            throw EngineError("08P01", "bind message supplies \(values.count) parameters, but prepared statement requires \(prepared.parameterTypes.count)")
        }
        guard let statement = prepared.statement else {
            return QueryCursor(fields: [], cancellation: cancellation, tag: { _ in "" }) { () throws(EngineError) in nil }
        }
        parameters = values.isEmpty ? nil : QueryParameters(types: prepared.parameterTypes, values: values)
        defer { parameters = nil }
        // A statement seen before, as text: its cached result once its tables are checked unchanged.
        var textKey: ResultCache.TextKey?
        if case .query = statement, !prepared.sql.isEmpty, engine.resultCache.capacityBytes > 0 {
            if let cursor = cachedCursor(text: prepared.sql, parameters: values) { return cursor }
            textKey = ResultCache.TextKey(text: prepared.sql, parameters: values, principal: principal,
                                          searchPath: configuration.searchPath, policyVersion: engine.policy.version)
        }
        if cacheOnly { throw .notCached }
        lastCacheKey = nil
        lastAudit = nil
        let cursor = try open(statement)
        if let textKey, let key = lastCacheKey { engine.resultCache.remember(textKey, as: key, audit: lastAudit) }
        return cursor
    }

    /// The cached result of query text `sql` with these parameters when the cache holds it
    /// and its tables are unchanged (audited as a hit), without parsing it; nil otherwise
    /// (under `cacheOnly`, also when it is larger than `cacheOnlyBytes`). Runs nothing.
    public func cachedCursor(text sql: String, parameters values: [ParameterValue]) -> QueryCursor? {
        guard !sql.isEmpty, engine.resultCache.capacityBytes > 0 else { return nil }
        let key = ResultCache.TextKey(text: sql, parameters: values, principal: principal, searchPath: configuration.searchPath,
                                      policyVersion: engine.policy.version)
        if cacheOnly, let tables = engine.resultCache.rememberedTables(text: key), !versionsKnownWithoutListing(tables) { return nil }
        guard let (hit, audit) = engine.resultCache.lookup(text: key, maxBytes: cacheOnly ? Self.cacheOnlyBytes : .max,
                                                           currentVersion: currentVersion(of:)) else { return nil }
        // Audited like the binding that produced it: same tables, columns and policies.
        engine.policy.record(StatementAudit(principal: principal, statement: audit?.statement ?? sql,
                                            tables: audit?.tables ?? [], policies: (audit?.policies ?? []) + ["result cache"]))
        return cachedCursor(hit.fields, hit.batches)
    }

    /// Starts executing one statement: queries stream, other statements run now.
    /// (A server resets `cancellation` when a statement starts, before it queues for a slot.)
    public func open(_ statement: Statement) throws(EngineError) -> QueryCursor {
        if cacheOnly { throw .notCached }
        if case let .query(query) = statement {
            let (plan, names, context) = try prepare(query)
            let fields = zip(names, plan.fields).map { Field($0, $1.type, nullable: $1.nullable) }
            let cache = engine.resultCache
            let key = cacheKey(statement)
            lastCacheKey = key
            if let key, let hit = cache.lookup(key) { return cachedCursor(fields, hit.batches) }
            let op = PhysicalPlanner(lake: engine.lake, context: context).build(plan)
            // Remember the batches while they stream, and keep them if the whole result is small enough.
            var kept: [RecordBatch]? = key == nil ? nil : []
            var keptBytes = 0
            let cursor = QueryCursor(fields: fields, cancellation: cancellation, tag: { "SELECT \($0)" }) { () throws(EngineError) in
                guard let batch = try op.next() else {
                    if let key, let batches = kept { cache.insert(key, fields: fields, batches: batches, bytes: keptBytes) }
                    kept = nil
                    return nil
                }
                if kept != nil {
                    keptBytes += batch.byteSize
                    if keptBytes > cache.maxEntryBytes { kept = nil } else { kept!.append(batch) }
                }
                return batch
            }
            cursor.totals = { ScanTotals.of(op) }
            return cursor
        }
        let result = try execute(statement)
        var batches = result.batches.reversed() as [RecordBatch]
        return QueryCursor(fields: result.fields, cancellation: cancellation, tag: { _ in result.commandTag }) { () throws(EngineError) in
            batches.popLast()
        }
    }

    /// A cursor over a cached result.
    private func cachedCursor(_ fields: [Field], _ batches: [RecordBatch]) -> QueryCursor {
        var remaining = batches.reversed() as [RecordBatch]
        let cursor = QueryCursor(fields: fields, cancellation: cancellation, tag: { "SELECT \($0)" }) { () throws(EngineError) in
            remaining.popLast()
        }
        cursor.fromCache = true
        return cursor
    }
}
