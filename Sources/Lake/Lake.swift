import Parquet

/// A lake: a directory of schemas holding tables of Parquet files, plus the
/// metastore in `<lake>/_basalt/`. What the engine binds names against and
/// reads files through.
///
/// Tables come from two places:
/// - discovery: `<lake>/<schema>/<table>/` holding `*.parquet` files (see
///   `TableDiscovery` for the layout rules, Hive partitions and schema merging);
/// - the metastore: tables registered at another location (`registerTable`).
///   A registered name takes precedence over a directory of the same name.
///
/// Nothing is cached but parsed footers (per file path, size and modification
/// time), so every call sees the lake as it is now, and listing it again costs
/// a directory walk. Safe to share between threads.
public final class Lake: Sendable {
    /// Where the lake's files are.
    public let store: any ObjectStore
    public let metastore: any Metastore
    private let footers: FooterCache
    /// Row counts and schemas of files seen before (also kept in the metastore).
    private let summaries: FileSummaryCache
    /// Tables registered at absolute locations outside the lake are read through this.
    private let fileSystem = LocalObjectStore(root: "/")
    /// Table versions kept while nothing under a local lake changes (nil: another store).
    private let versions: TableVersionMemo?

    /// The schema searched first when a name has no schema (PostgreSQL's default).
    public static let defaultSchema = "public"
    /// The metastore's file, relative to the lake.
    public static let metastorePath = "_basalt/metastore.sqlite"

    /// Opens the lake at `path` (an existing directory) and its SQLite
    /// metastore `<path>/_basalt/metastore.sqlite`, created on first open.
    /// `footerCacheCapacity` bounds the parsed footers kept (each holds its file open).
    public convenience init(path: String, footerCacheCapacity: Int = 256) throws(LakeError) {
        let store = LocalObjectStore(root: path)
        guard try store.exists("") else {
            throw LakeError(.notFound, "the lake directory \(store.root) does not exist", path: store.root)
        }
        guard try store.info("") == nil else {
            throw LakeError(.invalid, "\(store.root) is a file, not a lake directory", path: store.root)
        }
        try store.makeDirectory(StorePath.parent(Self.metastorePath))
        let metastore = try SQLiteMetastore(path: store.location(of: Self.metastorePath))
        self.init(store: store, metastore: metastore, footerCacheCapacity: footerCacheCapacity)
    }

    /// A lake over any store and metastore.
    public init(store: any ObjectStore, metastore: any Metastore, footerCacheCapacity: Int = 256) {
        self.store = store
        self.metastore = metastore
        self.footers = FooterCache(capacity: footerCacheCapacity)
        self.summaries = FileSummaryCache(metastore: metastore)
        // Watched only with the lake's own metastore, whose file is inside the lake: another
        // metastore's registrations would change nothing the watch sees.
        self.versions = (store as? LocalObjectStore).flatMap { local in
            metastore is SQLiteMetastore && (metastore as? SQLiteMetastore)?.path == local.location(of: Self.metastorePath)
                ? TableVersionMemo(root: local.root) : nil
        }
    }

    /// The lake's root, for messages.
    public var root: String { store.root }

    // MARK: names

    /// Every schema: the lake's top-level directories (except ignored names),
    /// those created with `createSchema`, and `public`; sorted.
    public func schemas() throws(LakeError) -> [String] {
        var names = Set(try store.directories(under: "").filter { !TableDiscovery.isIgnored(Substring($0)) })
        for schema in try metastore.schemas() { names.insert(schema.name) }
        names.insert(Self.defaultSchema)
        return names.sorted()
    }

    /// Every table's name, discovered and registered, sorted; reads no Parquet file.
    public func tableNames() throws(LakeError) -> [TableName] {
        var names = Set(TableDiscovery.lakeTables(try store.list(prefix: "")).map(\.name))
        for table in try metastore.tables() { names.insert(TableName(schema: table.schema, name: table.name)) }
        return names.sorted()
    }

    /// Every table, described (each file's footer is read once, then cached),
    /// sorted by schema and name. Throws on the first table that cannot be
    /// described (see `tableNames()` for a listing that cannot fail that way).
    public func tables() throws(LakeError) -> [TableDescriptor] {
        let registered = try metastore.tables()
        let registeredNames = Set(registered.map { TableName(schema: $0.schema, name: $0.name) })
        var out: [TableDescriptor] = []
        for (name, objects) in TableDiscovery.lakeTables(try store.list(prefix: "")) where !registeredNames.contains(name) {
            out.append(try TableDiscovery.describe(name, location: StorePath.join(name.schema, name.name), origin: .discovered,
                                                   store: store, prefix: StorePath.join(name.schema, name.name),
                                                   objects: objects, footers: footers, summaryCache: summaries))
        }
        for table in registered { out.append(try describe(table)) }
        return out.sorted { TableName(schema: $0.schema, name: $0.name) < TableName(schema: $1.schema, name: $1.name) }
    }

    /// The table `schema.name`, or nil when there is none.
    ///
    /// Names match exactly first, then ignoring case when that finds exactly
    /// one table. Without a schema, the search path is `public`, then any
    /// schema: a name found in exactly one schema resolves there; found in
    /// several, it is ambiguous (`.invalid`, listing the candidates).
    /// `isVisible` narrows the candidates of a name that matches several tables: a table the
    /// asker may not see must not make a name ambiguous (that would tell it exists).
    public func table(schema: String?, name: String, isVisible: ((TableDescriptor) -> Bool)? = nil) throws(LakeError) -> TableDescriptor? {
        if let schema {
            if let exact = try exactTable(schema: schema, name: name) { return exact }
            let matches = try tableNames().filter { $0.schema.lowercased() == schema.lowercased() && $0.name.lowercased() == name.lowercased() }
            return try unique(matches, for: "\(schema).\(name)", isVisible: isVisible)
        }
        if let exact = try exactTable(schema: Self.defaultSchema, name: name) { return exact }
        let names = try tableNames()
        let exact = names.filter { $0.name == name }
        if !exact.isEmpty { return try unique(exact, for: name, isVisible: isVisible) }
        return try unique(names.filter { $0.name.lowercased() == name.lowercased() }, for: name, isVisible: isVisible)
    }

    private func unique(_ matches: [TableName], for asked: String, isVisible: ((TableDescriptor) -> Bool)?) throws(LakeError) -> TableDescriptor? {
        guard let first = matches.first else { return nil }
        guard matches.count > 1 else { return try exactTable(schema: first.schema, name: first.name) }
        var candidates = matches
        if let isVisible {
            var visible: [TableName] = []
            for match in matches {
                if let table = try exactTable(schema: match.schema, name: match.name), isVisible(table) { visible.append(match) }
            }
            candidates = visible
        }
        guard let only = candidates.first else { return nil }
        guard candidates.count == 1 else {
            throw LakeError(.invalid, "table name \(asked) is ambiguous: it could be \(candidates.map(\.description).joined(separator: ", "))")
        }
        return try exactTable(schema: only.schema, name: only.name)
    }

    /// The table of exactly this name: registered, else a directory of the lake.
    func exactTable(schema: String, name: String) throws(LakeError) -> TableDescriptor? {
        if let registered = try metastore.table(schema: schema, name: name) { return try describe(registered) }
        guard let objects = try discoveredObjects(schema: schema, name: name) else { return nil }
        let prefix = StorePath.join(schema, name)
        return try TableDiscovery.describe(TableName(schema: schema, name: name), location: prefix, origin: .discovered,
                                           store: store, prefix: prefix, objects: objects, footers: footers, summaryCache: summaries)
    }

    /// The current version of table `schema.name` (as `TableDescriptor.version`), from a
    /// listing of its files only; nil when it no longer exists.
    /// Between changes of a local lake the answer is remembered (see `TableVersionMemo`).
    public func currentVersion(schema: String, name: String) throws(LakeError) -> UInt64? {
        guard let versions else { return try listedVersion(schema: schema, name: name).version }
        return try versions.version(schema: schema, table: name) { () throws(LakeError) in
            try listedVersion(schema: schema, name: name)
        }
    }

    /// A table's version from a listing, the directories listed (absolute paths), and whether
    /// all of them are inside the lake (a table registered elsewhere is not watched).
    private func listedVersion(schema: String, name: String) throws(LakeError) -> (version: UInt64?, directories: [String], rememberable: Bool) {
        if let registered = try metastore.table(schema: schema, name: name) {
            let (tableStore, prefix, _) = try resolve(location: registered.location)
            return (TableDiscovery.version(store: tableStore, prefix: prefix, objects: try tableStore.list(prefix: prefix)), [], false)
        }
        let prefix = StorePath.join(schema, name)
        guard let objects = try discoveredObjects(schema: schema, name: name) else { return (nil, [], true) }
        // Every directory of the table, empty ones included: a file may appear in any of them.
        var directories: [String] = []
        var pending = [prefix]
        while let directory = pending.popLast() {
            directories.append(store.location(of: directory))
            for child in try store.directories(under: directory) { pending.append(StorePath.join(directory, child)) }
        }
        return (TableDiscovery.version(store: store, prefix: prefix, objects: objects), directories, true)
    }

    /// The version `currentVersion` would give, when known without listing anything (the
    /// lake unchanged since it was last listed); nil otherwise.
    public func rememberedVersion(schema: String, name: String) -> UInt64?? {
        versions?.remembered(schema: schema, table: name)
    }

    /// Whether a table of exactly this name exists (reads no Parquet file).
    func tableExists(schema: String, name: String) throws(LakeError) -> Bool {
        if try metastore.table(schema: schema, name: name) != nil { return true }
        return try discoveredObjects(schema: schema, name: name) != nil
    }

    /// The listing of `<schema>/<name>/` when it holds data files, else nil.
    private func discoveredObjects(schema: String, name: String) throws(LakeError) -> [ObjectInfo]? {
        guard Self.isPlainName(schema), Self.isPlainName(name) else { return nil }
        let prefix = StorePath.join(schema, name)
        let objects = try store.list(prefix: prefix)
        let hasData = objects.contains { TableDiscovery.isDataFile(relativePath: Substring($0.path.utf8.dropFirst(prefix.utf8.count + 1)).utf8) }
        return hasData ? objects : nil
    }

    /// A registered table, described from its location.
    private func describe(_ table: RegisteredTable) throws(LakeError) -> TableDescriptor {
        let (tableStore, prefix, _) = try resolve(location: table.location)
        let objects = try tableStore.list(prefix: prefix)
        var exists = !objects.isEmpty
        if !exists { exists = try tableStore.exists(prefix) }
        guard exists else {
            throw LakeError(.notFound, "the location \(tableStore.location(of: prefix)) of table \(table.schema).\(table.name) does not exist",
                            path: tableStore.location(of: prefix))
        }
        return try TableDiscovery.describe(TableName(schema: table.schema, name: table.name), location: table.location,
                                           origin: .registered, store: tableStore, prefix: prefix, objects: objects, footers: footers, summaryCache: summaries)
    }

    /// The store and path of a registered location: relative paths and
    /// absolute paths inside the lake are the lake's; others the file system's.
    private func resolve(location: String) throws(LakeError) -> (store: any ObjectStore, path: String, inLake: Bool) {
        guard location.hasPrefix("/") else { return (store, try StorePath.normalize(location), true) }
        if location == store.root || location.hasPrefix(store.root == "/" ? "/" : store.root + "/") {
            let relative = location.dropFirst(store.root.count).drop { $0 == "/" }
            return (store, try StorePath.normalize(String(relative)), true)
        }
        return (fileSystem, try StorePath.normalize(String(location.drop { $0 == "/" })), false)
    }

    // MARK: files

    /// The file's parsed footer, opened on first use and cached per (location,
    /// size, modification time): querying a table again does not re-read its
    /// footers. Fails with `.io` when the file changed since it was listed.
    public func open(_ file: DataFile) throws(LakeError) -> ParquetFile {
        try TableDiscovery.footer(of: ObjectInfo(path: file.path, size: file.size, modified: file.modified),
                                  store: file.store, footers: footers)
    }

    /// How the footer cache has fared (entries held, hits, misses since the lake was opened).
    public var footerCacheStatistics: FooterCacheStatistics {
        let s = footers.statistics
        return FooterCacheStatistics(entries: s.entries, hits: s.hits, misses: s.misses)
    }

    // MARK: changes

    /// Creates a schema (recorded in the metastore, and as a directory of the
    /// lake). Returns false when it exists and `ifNotExists` is set; else an
    /// existing schema is `.alreadyExists`.
    @discardableResult
    public func createSchema(_ name: String, ifNotExists: Bool = false) throws(LakeError) -> Bool {
        try Self.checkName(name, what: "schema")
        if try schemas().contains(name) {
            if ifNotExists { return false }
            throw LakeError(.alreadyExists, "schema \(name) already exists", path: store.location(of: name))
        }
        try metastore.createSchema(name)
        try store.makeDirectory(name)
        return true
    }

    /// Registers `schema.name` as the Parquet files at `location` (a directory,
    /// or one file; absolute, or relative to the lake), laid out like a lake
    /// table. The location is read now, so a bad layout fails here.
    @discardableResult
    public func registerTable(schema: String, name: String, location: String) throws(LakeError) -> TableDescriptor {
        try Self.checkName(schema, what: "schema")
        try Self.checkName(name, what: "table")
        try requireSchema(schema)
        if try tableExists(schema: schema, name: name) {
            throw LakeError(.alreadyExists, "table \(schema).\(name) already exists")
        }
        let (tableStore, prefix, inLake) = try resolve(location: location)
        // Inside the lake: kept relative, so the lake can move.
        let stored = inLake ? prefix : tableStore.location(of: prefix)
        guard try tableStore.exists(prefix) else {
            throw LakeError(.notFound, "location \(tableStore.location(of: prefix)) does not exist", path: tableStore.location(of: prefix))
        }
        let table = RegisteredTable(schema: schema, name: name, location: stored, created: .now)
        let descriptor = try describe(table)
        try metastore.registerTable(table)
        return descriptor
    }

    /// Drops `schema.name`: a registered table is forgotten (its files stay);
    /// a lake table's directory is deleted (moved aside atomically, then
    /// removed). Returns false when there is no such table.
    @discardableResult
    public func dropTable(schema: String, name: String) throws(LakeError) -> Bool {
        if try metastore.dropTable(schema: schema, name: name) { return true }
        guard try discoveredObjects(schema: schema, name: name) != nil else { return false }
        let trash = StorePath.join(schema, "_dropped-\(randomHex())")
        try store.rename(from: StorePath.join(schema, name), to: trash)
        try store.delete(trash)
        return true
    }

    /// `.notFound` unless `schema` exists.
    func requireSchema(_ schema: String) throws(LakeError) {
        guard try schemas().contains(schema) else {
            throw LakeError(.notFound, "schema \(schema) does not exist", path: store.location(of: schema))
        }
    }

    /// Whether `name` can be a schema or table directory that discovery sees.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && !name.contains("/") && !name.utf8.contains(0)
            && !name.hasPrefix("_") && !name.hasPrefix(".")
    }

    static func checkName(_ name: String, what: String) throws(LakeError) {
        guard isPlainName(name) else {
            throw LakeError(.invalid, "\(what) name '\(name)' cannot be a directory of the lake (it must be non-empty, without '/', and not start with '_' or '.')")
        }
    }
}

/// The footer cache's counters.
public struct FooterCacheStatistics: Sendable, Hashable {
    public var entries: Int
    public var hits: Int
    public var misses: Int
}
