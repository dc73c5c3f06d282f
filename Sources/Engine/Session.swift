import Columnar
import Lake
import Parquet
import SQL

/// One client's session: its principal and settings (search path, threads, ...).
/// Not shared between threads; each connection has its own.
public final class Session {
    public let engine: Engine
    public var principal: Principal
    public private(set) var settings: [String: String] = [:]
    public var configuration: EngineConfiguration
    // System catalog and connect-time functions (Catalog/SessionInfo.swift reads these).
    /// The process id clients see (pg_backend_pid(), pg_stat_activity); the server sets one per connection.
    public var backendPID: Int32 = SessionInfo.processID
    /// The one database Basalt serves (current_database(), pg_database).
    public var databaseName = "basalt"
    /// Raised by a cancel request or statement timeout for the statement running now.
    public let cancellation = CancellationFlag()
    /// The parameters of the statement being bound ($1, $2, ...), when it has any.
    var parameters: QueryParameters?
    /// What the last bound query read (the result cache's key needs the table versions).
    var relationsRead = RelationsRead()
    /// The access policy's version when the last query was bound (the result cache's key).
    var boundPolicyVersion: UInt64 = 0
    /// The result-cache key of the query opened last (nil: not cacheable).
    var lastCacheKey: ResultCache.Key?
    /// The audit record of the query bound last (kept with a cached result, so a hit is audited too).
    var lastAudit: StatementAudit?
    /// Table versions already checked in the current request (see `beginRequest`).
    var versionMemo: [String: UInt64?] = [:]
    /// Statements this session described, with the versions of the tables they read.
    var describedStatements: [DescribedStatementKey: (PreparedStatement, [TableVersion])] = [:]
    /// Set while the server answers a request on its event loop: describing a statement not
    /// described before, or running anything but a cached result of at most `cacheOnlyBytes`,
    /// throws `EngineError.notCached` instead of doing the work.
    public var cacheOnly = false
    public static let cacheOnlyBytes = 64 << 10

    public init(engine: Engine, principal: Principal = .superuser) {
        self.engine = engine
        self.principal = principal
        self.configuration = engine.configuration
    }

    public func execute(_ sql: String) throws(EngineError) -> QueryResult {
        let statement: Statement
        do {
            statement = try Parser.parseStatement(sql)
        } catch {
            throw EngineError("42601", error.message, position: error.position)
        }
        return try execute(statement)
    }

    public func execute(_ statement: Statement) throws(EngineError) -> QueryResult {
        switch statement {
        case let .query(query):
            let (plan, names, context) = try prepare(query)
            let op = PhysicalPlanner(lake: engine.lake, context: context).build(plan)
            var batches: [RecordBatch] = []
            let fields = zip(names, plan.fields).map { Field($0, $1.type, nullable: $1.nullable) }
            while let b = try op.next() {
                if b.rowCount > 0 { batches.append(RecordBatch(fields: fields, columns: b.columns, rowCount: b.rowCount)) }
            }
            let rows = batches.reduce(0) { $0 + $1.rowCount }
            return QueryResult(fields: fields, batches: batches, commandTag: "SELECT \(rows)")
        case let .explain(inner, analyze, _):
            guard case let .query(query) = inner else { throw .featureNotSupported("EXPLAIN of a statement that is not a query") }
            let (plan, _, context) = try prepare(query)
            var lines: [String]
            if analyze {
                let start = Clock.now
                context.sharedResults?.subqueryRuns.recording = true
                let op = PhysicalPlanner(lake: engine.lake, context: context).build(plan)
                while try op.next() != nil {}
                lines = PlanPrinter.analyzed(op) + (context.sharedResults?.subqueryRuns.lines ?? [])
                lines.append("Execution Time: \(PlanPrinter.format3(Double(Clock.now - start) / 1e6)) ms")
            } else {
                lines = PlanPrinter.lines(plan)
            }
            var b = ColumnBuilder(type: .string)
            for l in lines { b.append(.string(l)) }
            let field = Field("QUERY PLAN", .string, nullable: false)
            return QueryResult(fields: [field], batches: [RecordBatch(fields: [field], columns: [b.finish()], rowCount: lines.count)],
                               commandTag: "EXPLAIN")
        case let .createTable(create):
            try engine.policy.authorizeDefinition(principal, statement: statement)
            return try createTable(create)
        case let .dropTable(names, ifExists):
            try engine.policy.authorizeDefinition(principal, statement: statement)
            for name in names {
                let (schema, table) = try resolveNew(name)
                let dropped: Bool
                do { dropped = try engine.lake.dropTable(schema: schema, name: table) } catch { throw Self.lakeError(error) }
                if !dropped && !ifExists { throw .undefinedTable("table \"\(name)\" does not exist") }
            }
            return QueryResult(fields: [], batches: [], commandTag: "DROP TABLE")
        case let .createSchema(name, ifNotExists):
            try engine.policy.authorizeDefinition(principal, statement: statement)
            do {
                let created = try engine.lake.createSchema(name, ifNotExists: ifNotExists)
                if !created && !ifNotExists { throw EngineError("42P06", "schema \"\(name)\" already exists") }
            } catch let e as EngineError {
                throw e
            } catch {
                throw Self.lakeError(error)
            }
            return QueryResult(fields: [], batches: [], commandTag: "CREATE SCHEMA")
        case let .set(name, values):
            try applySetting(name, values)
            return QueryResult(fields: [], batches: [], commandTag: "SET")
        case let .reset(name):
            if name == "all" {
                settings = [:]
                configuration = engine.configuration
            } else {
                settings[name] = nil
                // Settings held in the configuration go back to the engine's value.
                let initial = engine.configuration
                switch name {
                case "search_path": configuration.searchPath = initial.searchPath
                case "threads", "basalt.threads": configuration.threads = initial.threads
                case "memory_limit", "basalt.memory_limit": configuration.memoryLimit = initial.memoryLimit
                case "basalt.page_pruning": configuration.pagePruning = initial.pagePruning
                case "basalt.late_materialization": configuration.lateMaterialization = initial.lateMaterialization
                case "basalt.build_side_reduction": configuration.buildSideReduction = initial.buildSideReduction
                default: break
                }
            }
            return QueryResult(fields: [], batches: [], commandTag: "RESET")
        case let .show(name):
            let value = setting(name)
            let field = Field(name, .string, nullable: false)
            var b = ColumnBuilder(type: .string)
            b.append(.string(value))
            return QueryResult(fields: [field], batches: [RecordBatch(fields: [field], columns: [b.finish()], rowCount: 1)], commandTag: "SHOW")
        case let .transaction(command):
            return QueryResult(fields: [], batches: [], commandTag: command == .begin ? "BEGIN" : (command == .commit ? "COMMIT" : "ROLLBACK"))
        case let .savepoint(action, _):
            return QueryResult(fields: [], batches: [], commandTag: action == .rollbackTo ? "ROLLBACK" : action.rawValue)
        case let .access(command):
            do {
                let result = try engine.policy.execute(command, principal: principal)
                engine.policy.record(StatementAudit(principal: principal, statement: statement.sql))
                return result
            } catch {
                engine.policy.record(StatementAudit(principal: principal, statement: statement.sql, denial: error))
                throw error
            }
        case .copyTo, .declareCursor, .fetchCursor, .closeCursor:
            // Cursors and COPY belong to a client connection: the wire protocol runs them.
            throw .featureNotSupported("\(statement.sql.split(separator: " ").first ?? "this statement") needs a client connection (basalt serve)")
        }
    }

    /// Binds, optimizes and authorizes a query.
    func prepare(_ query: Query) throws(EngineError) -> (LogicalPlan, [String], ExecutionContext) {
        let catalog = LakeCatalog(lake: engine.lake, searchPath: configuration.searchPath,
                                  system: SystemCatalog(lake: engine.lake, policy: engine.policy, session: info))
        let binder = Binder(catalog: catalog)
        binder.parameters = parameters
        binder.policy = engine.policy
        binder.principal = principal
        boundPolicyVersion = engine.policy.version
        let bound: Binder.BoundQuery
        do { bound = try binder.bindQuery(query) } catch {
            audit(query, plan: nil, policies: binder.policiesApplied, denial: error)
            throw error
        }
        relationsRead = binder.relationsRead
        let plan = Optimizer.optimize(bound.plan)
        do { try authorize(plan) } catch {
            audit(query, plan: plan, policies: binder.policiesApplied, denial: error)
            throw error
        }
        audit(query, plan: plan, policies: binder.policiesApplied, denial: nil)
        let runner = SubqueryRunner(lake: engine.lake, threads: configuration.threads, memoryLimit: configuration.memoryLimit,
                                    cancellation: cancellation)
        runner.pagePruning = configuration.pagePruning
        runner.lateMaterialization = configuration.lateMaterialization
        runner.buildSideReduction = configuration.buildSideReduction
        // Chunks decoded for a second scan are held beside the query's own memory, within a quarter of its limit.
        runner.sharedResults.chunks.capacity = configuration.memoryLimit / 4
        runner.sharedResults.prepare(plan)
        let context = runner.context()
        return (plan, bound.names, context)
    }

    /// Calls the access policy for every table the plan reads, with the columns it reads.
    private func authorize(_ plan: LogicalPlan) throws(EngineError) {
        switch plan {
        case let .scan(s):
            try engine.policy.authorize(principal, table: s.table, columns: s.columns.map { s.table.fields[$0].name })
        case .values, .workingTable: break
        case let .filter(i, _), let .project(i, _, _), let .aggregate(i, _, _, _), let .sort(i, _), let .limit(i, _, _), let .distinct(i),
             let .window(i, _):
            try authorize(i)
        case let .join(l, r, _, _), let .setOperation(_, _, l, r, _):
            try authorize(l)
            try authorize(r)
        case let .recursiveUnion(u):
            try authorize(u.anchor)
            try authorize(u.recursive)
        }
    }

    private func createTable(_ create: CreateTable) throws(EngineError) -> QueryResult {
        let (schema, name) = try resolveNew(create.name)
        if create.ifNotExists, (try? engine.lake.table(schema: schema, name: name)) != nil {
            return QueryResult(fields: [], batches: [], commandTag: "CREATE TABLE")
        }
        if let location = create.options.first(where: { $0.key == "location" })?.value {
            do { _ = try engine.lake.registerTable(schema: schema, name: name, location: location) } catch { throw Self.lakeError(error) }
            return QueryResult(fields: [], batches: [], commandTag: "CREATE TABLE")
        }
        var fields: [Field] = []
        var batches: [RecordBatch] = []
        if let query = create.query {
            let result = try execute(.query(query))
            fields = result.fields
            batches = result.batches
            if !create.columns.isEmpty {
                guard create.columns.count == fields.count else { throw EngineError("42601", "CREATE TABLE AS specifies the wrong number of column names") }
                fields = zip(create.columns, fields).map { Field($0.name, $1.type, nullable: $1.nullable) }
            }
        } else {
            for c in create.columns { fields.append(Field(c.name, try SQLTypes.dataType(c.type), nullable: !c.notNull)) }
        }
        guard !fields.isEmpty else { throw .featureNotSupported("a table needs at least one column") }
        let relabeled = batches.map { RecordBatch(fields: fields, columns: $0.columns, rowCount: $0.rowCount) }
        do {
            _ = try engine.lake.writeTable(schema: schema, name: name, fields: fields, batches: relabeled)
        } catch where error.kind == .alreadyExists {
            throw EngineError("42P07", "relation \"\(name)\" already exists")
        } catch {
            throw Self.lakeError(error)
        }
        let rows = batches.reduce(0) { $0 + $1.rowCount }
        return QueryResult(fields: [], batches: [], commandTag: create.query == nil ? "CREATE TABLE" : "SELECT \(rows)")
    }

    /// Schema and name for a table being created or dropped.
    private func resolveNew(_ name: QualifiedName) throws(EngineError) -> (String, String) {
        switch name.parts.count {
        case 1: return (configuration.searchPath.first ?? Lake.defaultSchema, name.parts[0])
        case 2: return (name.parts[0], name.parts[1])
        default: return (name.parts[name.parts.count - 2], name.parts[name.parts.count - 1])
        }
    }

    static func lakeError(_ error: any Error) -> EngineError {
        if let e = error as? LakeError {
            switch e.kind {
            case .alreadyExists: return EngineError("42P07", e.message)
            case .notFound: return EngineError("42P01", e.message)
            default: return EngineError("58030", e.message)
            }
        }
        return EngineError("58030", "\(error)")
    }

    private func applySetting(_ name: String, _ values: [String]) throws(EngineError) {
        let value = values.map { v in v.hasPrefix("'") && v.hasSuffix("'") && v.count >= 2 ? String(v.dropFirst().dropLast()) : v }
            .joined(separator: ", ")
        switch name {
        case "search_path":
            configuration.searchPath = values.map { v in
                let t = v.hasPrefix("'") || v.hasPrefix("\"") ? String(v.dropFirst().dropLast()) : v
                return t.lowercased() == "default" ? "public" : t
            }
        case "threads", "basalt.threads":
            guard let n = Int(value), n >= 1 else { throw EngineError("22023", "invalid value for parameter \"\(name)\": \"\(value)\"") }
            configuration.threads = n
        case "memory_limit", "basalt.memory_limit":
            guard let bytes = Self.parseBytes(value) else { throw EngineError("22023", "invalid value for parameter \"\(name)\": \"\(value)\"") }
            configuration.memoryLimit = bytes
        case "basalt.page_pruning", "basalt.late_materialization", "basalt.build_side_reduction":
            let on: Bool
            switch value.lowercased() {
            case "on", "true", "1", "yes": on = true
            case "off", "false", "0", "no": on = false
            default: throw EngineError("22023", "parameter \"\(name)\" requires a Boolean value")
            }
            switch name {
            case "basalt.page_pruning": configuration.pagePruning = on
            case "basalt.late_materialization": configuration.lateMaterialization = on
            default: configuration.buildSideReduction = on
            }
        default:
            break
        }
        settings[name] = value
    }

    static func parseBytes(_ text: String) -> Int? {
        let t = text.trimmingSpaces.uppercased()
        let units: [(String, Int)] = [("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            guard let n = Int(t.dropLast(suffix.count).trimmingCharacters()) else { return nil }
            return n * factor
        }
        return Int(t)
    }

    private func setting(_ name: String) -> String {
        switch name {
        case "search_path": return configuration.searchPath.joined(separator: ", ")
        case "threads", "basalt.threads": return String(configuration.threads)
        case "memory_limit", "basalt.memory_limit": return "\(configuration.memoryLimit >> 20)MB"
        case "basalt.page_pruning": return configuration.pagePruning ? "on" : "off"
        case "basalt.late_materialization": return configuration.lateMaterialization ? "on" : "off"
        case "basalt.build_side_reduction": return configuration.buildSideReduction ? "on" : "off"
        case "server_version": return SettingDefaults.value(name) ?? ""
        case "timezone": return settings[name] ?? "UTC"
        case "datestyle": return "ISO, MDY"
        case "client_encoding", "server_encoding": return "UTF8"
        case "standard_conforming_strings": return "on"
        default: return settings[name] ?? SettingDefaults.value(name) ?? ""
        }
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingSpaces }
}

/// Tables of the lake, found by the session's search path.
struct LakeCatalog: Catalog {
    let lake: Lake
    let searchPath: [String]
    let system: SystemCatalog

    func table(_ name: QualifiedName) throws(EngineError) -> TableDescriptor {
        let position = name.position >= 0 ? name.position + 1 : nil
        do {
            if name.parts.count >= 2 {
                if let t = try lake.table(schema: name.parts[name.parts.count - 2], name: name.name) { return t }
            } else {
                for schema in searchPath {
                    if let t = try lake.table(schema: schema, name: name.name) { return t }
                }
                let policy = system.policy, principal = system.session.principal
                if let t = try lake.table(schema: nil, name: name.name, isVisible: { policy.canSee(principal, table: $0) }) { return t }
            }
        } catch {
            throw Session.lakeError(error)
        }
        let all = (try? lake.tableNames()) ?? []
        let candidates = all.map { name.parts.count >= 2 ? $0.description : $0.name }
        let best = candidates.min { editDistance($0, name.description) < editDistance($1, name.description) }
        let hint = best.flatMap { editDistance($0, name.description) <= max(2, name.description.count / 3) ? "Perhaps you meant \"\($0)\"." : nil }
        throw .undefinedTable("relation \"\(name)\" does not exist", position: position, hint: hint)
    }
}

/// Runs subqueries (uncorrelated ones once, correlated ones per outer values) with
/// contexts that can run their own nested subqueries.
final class SubqueryRunner: @unchecked Sendable {
    let lake: Lake
    let threads: Int
    let memoryLimit: Int
    let cancellation: CancellationFlag?
    var pagePruning = true
    var lateMaterialization = true
    var buildSideReduction = true
    /// One query's repeated aggregations (see `SharedResults`), shared by its subqueries.
    let sharedResults = SharedResults()

    init(lake: Lake, threads: Int, memoryLimit: Int, cancellation: CancellationFlag? = nil) {
        self.lake = lake
        self.threads = threads
        self.memoryLimit = memoryLimit
        self.cancellation = cancellation
    }

    func context() -> ExecutionContext {
        let context = ExecutionContext(threads: threads, memoryLimit: memoryLimit)
        context.pagePruning = pagePruning
        context.lateMaterialization = lateMaterialization
        context.buildSideReduction = buildSideReduction
        context.cancellation = cancellation
        context.sharedResults = sharedResults
        context.evaluator.subqueryRunner = { (plan) throws(EngineError) -> [Value] in try self.run(plan) }
        return context
    }

    /// The first column of every row of `plan` (an uncorrelated subquery's: used as a set,
    /// a single value or a test for rows, so in any order).
    func run(_ plan: LogicalPlan) throws(EngineError) -> [Value] {
        let op = PhysicalPlanner(lake: lake, context: context()).build(Optimizer.optimize(plan))
        PhysicalPlanner.ignoreOrder(of: op)
        var result: [Value] = []
        while let b = try op.next() {
            guard let first = b.columns.first else {
                result.append(contentsOf: repeatElement(Value.null, count: b.rowCount))
                continue
            }
            for i in 0..<b.rowCount { result.append(Value.from(first, i)) }
        }
        sharedResults.subqueryRuns.note(op)
        return result
    }
}
