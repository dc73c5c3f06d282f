import Columnar
import Parquet

/// Finds tables in a listing and describes them.
///
/// Layout: `<lake>/<schema>/<table>/` holding `*.parquet` files, directly or
/// under Hive-style `key=value/` directories (any depth; every file under the
/// same keys in the same order) is table `schema.table`. Any path component
/// starting with '_' or '.' is ignored with everything under it (`_basalt/`,
/// `_staging-*`, `_SUCCESS`, `.crc` files, hidden temporaries), and so are
/// files not named `*.parquet`.
enum TableDiscovery {
    /// Whether a path component hides what it names.
    static func isIgnored(_ component: Substring) -> Bool {
        component.hasPrefix("_") || component.hasPrefix(".")
    }

    /// Whether a file path (relative to a table's directory, as components) holds table data.
    static func isDataFile(_ components: [Substring]) -> Bool {
        guard let last = components.last, !components.contains(where: isIgnored) else { return false }
        return last.lowercased().hasSuffix(".parquet")
    }

    /// `isDataFile` over a relative path's bytes, without splitting it into strings: every
    /// statement served from the result cache checks its tables' listings this way.
    static func isDataFile(relativePath path: Substring.UTF8View) -> Bool {
        var atComponentStart = true
        for byte in path {
            if atComponentStart, byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") { return false }
            atComponentStart = byte == UInt8(ascii: "/")
        }
        let suffix = Array(".parquet".utf8)
        guard path.count > suffix.count else { return false }
        return zip(path.suffix(suffix.count), suffix).allSatisfy { ($0 | 0x20) == $1 || $0 == $1 }
    }

    /// The tables of a whole-lake listing, sorted, each with its objects.
    static func lakeTables(_ objects: [ObjectInfo]) -> [(name: TableName, objects: [ObjectInfo])] {
        var out: [(name: TableName, objects: [ObjectInfo])] = []
        for object in objects {
            let parts = object.path.split(separator: "/")
            guard parts.count >= 3, !isIgnored(parts[0]), !isIgnored(parts[1]), isDataFile(Array(parts[2...])) else { continue }
            let name = TableName(schema: String(parts[0]), name: String(parts[1]))
            // The listing is sorted by path, so a table's files are adjacent.
            if out.last?.name == name {
                out[out.count - 1].objects.append(object)
            } else {
                out.append((name, [object]))
            }
        }
        return out.sorted { $0.name < $1.name }
    }

    /// Describes the table whose files are `objects` of `store` under `prefix`
    /// (a directory, or the one file of a single-file table).
    static func describe(_ name: TableName, location: String, origin: TableDescriptor.Origin, store: any ObjectStore,
                         prefix: String, objects: [ObjectInfo], footers: FooterCache,
                         summaryCache: FileSummaryCache) throws(LakeError) -> TableDescriptor {
        let tableLocation = store.location(of: prefix)
        // 1. Data files and their partition directories.
        var files: [(object: ObjectInfo, raw: [String?])] = []
        var keys: [String]? = nil
        var keysFrom = ""
        for object in objects {
            let relative: Substring = object.path == prefix
                ? Substring(StorePath.lastComponent(object.path))
                : Substring(object.path.utf8.dropFirst(prefix.isEmpty ? 0 : prefix.utf8.count + 1))  // '/' is one byte
            let parts = relative.split(separator: "/")
            guard isDataFile(parts) else { continue }
            var fileKeys: [String] = []
            var raw: [String?] = []
            for dir in parts.dropLast() {
                guard let (key, value) = HivePartitioning.parse(String(dir)) else {
                    throw LakeError(.layout, "table \(name): directory '\(dir)' above \(store.location(of: object.path)) is not a key=value partition directory",
                                    path: store.location(of: object.path))
                }
                guard !fileKeys.contains(key) else {
                    throw LakeError(.layout, "table \(name): partition key '\(key)' appears twice in \(store.location(of: object.path))",
                                    path: store.location(of: object.path))
                }
                fileKeys.append(key)
                raw.append(value)
            }
            if let keys, keys != fileKeys {
                throw LakeError(.layout, "table \(name): inconsistent partition directories: \(keysFrom) is under \(describeKeys(keys)) but \(store.location(of: object.path)) is under \(describeKeys(fileKeys))",
                                path: tableLocation)
            }
            if keys == nil {
                keys = fileKeys
                keysFrom = store.location(of: object.path)
            }
            files.append((object, raw))
        }
        let keyNames = keys ?? []

        // 2. Partition key types, inferred over every value of the key.
        var partitionKeys: [Field] = []
        for (k, key) in keyNames.enumerated() {
            let values = files.map { $0.raw[k] }
            partitionKeys.append(Field(key, HivePartitioning.inferType(values), nullable: values.contains { $0 == nil }))
        }

        // 3. Each file's fields and row count (from the summary cache: footers are
        // read only for files not seen before) and the merged schema.
        let summaries = try summaryCache.summaries(of: files.map(\.object), store: store, prefix: prefix, footers: footers)
        var merge = SchemaMerge()
        var rowCounts: [Int64] = []
        for ((object, _), summary) in zip(files, summaries) {
            let fileFields = summary.fields
            let at = store.location(of: object.path)
            if let clash = partitionKeys.first(where: { key in fileFields.contains { $0.name == key.name } }) {
                throw LakeError(.schemaConflict, "table \(name): column '\(clash.name)' of \(at) has the name of a partition key", path: at)
            }
            try merge.add(fileFields, location: at)
            rowCounts.append(summary.rowCount)
        }
        let fileFields = merge.mergedFields()
        let indices = merge.columnIndices()
        var dataFiles: [DataFile] = []
        for (i, (object, raw)) in files.enumerated() {
            let values = zip(raw, partitionKeys).map { HivePartitioning.value($0, as: $1.type) }
            dataFiles.append(DataFile(path: object.path, location: store.location(of: object.path), size: object.size,
                                      modified: object.modified, partitionValues: values,
                                      rowCount: rowCounts[i], columnIndices: indices[i], store: store))
        }
        return TableDescriptor(schema: name.schema, name: name.name, location: location, origin: origin,
                               fields: fileFields + partitionKeys, partitionKeys: partitionKeys, files: dataFiles,
                               version: version(tableLocation: tableLocation, files: files.map(\.object)))
    }

    /// A table's version token: its location and every data file's path, size and
    /// modification time, so any change of its files changes it.
    static func version(tableLocation: String, files: [ObjectInfo]) -> UInt64 {
        var version = FNV1a()
        version.add(tableLocation)
        for object in files {
            version.add(object.path)
            version.add(UInt64(object.size))
            version.add(UInt64(bitPattern: object.modified))
        }
        return version.value
    }

    /// The version `describe` would give, from the listing alone (no footers, no
    /// partition parsing): what a result cache checks before reusing a result.
    static func version(store: any ObjectStore, prefix: String, objects: [ObjectInfo]) -> UInt64 {
        let files = objects.filter { object in
            let relative: Substring = object.path == prefix
                ? Substring(StorePath.lastComponent(object.path))
                : Substring(object.path.utf8.dropFirst(prefix.isEmpty ? 0 : prefix.utf8.count + 1))
            return isDataFile(relativePath: relative.utf8)
        }
        return version(tableLocation: store.location(of: prefix), files: files)
    }

    /// The parsed footer of one object, through the cache.
    static func footer(of object: ObjectInfo, store: any ObjectStore, footers: FooterCache) throws(LakeError) -> ParquetFile {
        let location = store.location(of: object.path)
        let key = FooterCache.Key(location: location, size: object.size, modified: object.modified)
        return try footers.file(key) { () throws(LakeError) -> ParquetFile in
            let source = try store.open(object.path)
            guard source.size == object.size else {
                throw LakeError(.io, "\(location) changed while it was being read (\(object.size) bytes listed, \(source.size) now); list the table again",
                                path: location)
            }
            do {
                return try ParquetFile(source: source)
            } catch {
                throw LakeError(.parquet, "\(location): \(error)", path: location)
            }
        }
    }

    private static func describeKeys(_ keys: [String]) -> String {
        keys.isEmpty ? "no partition directories" : keys.map { "\($0)=" }.joined(separator: "/")
    }
}

/// 64-bit FNV-1a: a hash that is the same in every process (Swift's `Hasher`
/// is seeded per process), for version tokens.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x0000_0100_0000_01b3
        }
    }

    mutating func add(_ text: String) {
        add(text.utf8)
        add(CollectionOfOne(0))  // separator: "ab"+"c" differs from "a"+"bc"
    }

    mutating func add(_ n: UInt64) {
        withUnsafeBytes(of: n.littleEndian) { add($0) }
    }
}
