#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lake

/// Stages an ingest's files next to the table and publishes them in one step.
///
/// New files are written under `<lake>/<schema>/_ingest-<table>-<run>/`
/// (hidden from discovery by its '_'). Publishing builds the table's next
/// state in that directory (hard links to the existing files the mode keeps:
/// all of them for `append`, those outside the written partitions for
/// `overwrite-partitions`, none for `overwrite`) and swaps it with the
/// table's directory in one `renameat2(RENAME_EXCHANGE)`, or renames it into
/// place for a new table. A reader lists either the old directory or the new
/// one, never a mix; a crash before the swap leaves the table untouched (and
/// the staging directory is cleared by the next ingest into the table).
/// One ingest at a time per table: an exclusive `flock` on
/// `<lake>/_basalt/locks/<schema>.<table>.lock` is held throughout.
final class TablePublisher {
    let lake: Lake
    let schema: String
    let table: String
    let runID: String
    /// Absolute paths.
    let tableDirectory: String
    let stagingDirectory: String
    private var lockDescriptor: Int32 = -1

    init(lake: Lake, schema: String, table: String, runID: String) {
        self.lake = lake
        self.schema = schema
        self.table = table
        self.runID = runID
        tableDirectory = lake.root + "/" + schema + "/" + table
        stagingDirectory = lake.root + "/" + schema + "/" + Self.stagingPrefix(table) + runID
    }

    static func stagingPrefix(_ table: String) -> String { "_ingest-\(table)-" }

    /// Whether a directory name is a staging directory of `table` (prefix, a
    /// 16-hex-digit run id, optionally "-old"), not one of a table whose name
    /// merely starts the same way.
    static func isStaging(_ name: String, table: String) -> Bool {
        let prefix = stagingPrefix(table)
        guard name.hasPrefix(prefix) else { return false }
        var rest = name.dropFirst(prefix.count)
        if rest.hasSuffix("-old") { rest = rest.dropLast(4) }
        return rest.count == 16 && rest.allSatisfy { $0.isHexDigit }
    }

    deinit { if lockDescriptor >= 0 { close(lockDescriptor) } }

    /// Takes the table's lock (waiting for another ingest into it), then
    /// clears staging directories left by interrupted ingests into the table.
    func lock(waiting note: () -> Void) throws(IngestError) {
        let directory = lake.root + "/_basalt/locks"
        _ = mkdir(directory, 0o755)
        let path = directory + "/\(schema).\(table).lock"
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw IngestError(.output, "cannot open the lock file \(path): \(String(cString: strerror(errno)))") }
        lockDescriptor = fd
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            note()
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else { throw IngestError(.output, "cannot lock \(path): \(String(cString: strerror(errno)))") }
            }
        }
        let schemaDirectory = lake.root + "/" + schema
        for name in Self.entries(schemaDirectory) where Self.isStaging(name, table: table) {
            try? lake.store.delete(schema + "/" + name)
        }
    }

    /// Creates the staging directory.
    func prepare() throws(IngestError) {
        do {
            try lake.store.makeDirectory(schema + "/" + Self.stagingPrefix(table) + runID)
        } catch {
            throw IngestError(.output, "cannot create the staging directory \(stagingDirectory): \(error)")
        }
    }

    /// Removes the staging directory (after a failure, or leftovers after publishing).
    func discard() {
        try? lake.store.delete(schema + "/" + Self.stagingPrefix(table) + runID)
    }

    /// Publishes the staged files under `mode`; `written` are the partition
    /// directories that received files (relative, "" when unpartitioned).
    /// Returns the number of existing files kept.
    @discardableResult
    func publish(mode: IngestOptions.Mode, written: Set<String>) throws(IngestError) -> Int {
        var st = stat()
        let exists = stat(tableDirectory, &st) == 0
        if !exists {
            guard rename(stagingDirectory, tableDirectory) == 0 else {
                throw IngestError(.output, "cannot move \(stagingDirectory) to \(tableDirectory): \(String(cString: strerror(errno)))")
            }
            return 0
        }
        var kept = 0
        if mode != .overwrite {
            let objects: [ObjectInfo]
            do { objects = try lake.store.list(prefix: schema + "/" + table) } catch {
                throw IngestError(.output, "cannot list \(tableDirectory): \(error)")
            }
            let prefix = schema + "/" + table + "/"
            for object in objects where object.path.hasPrefix(prefix) {
                let relative = String(object.path.dropFirst(prefix.count))
                let directory = relative.contains("/") ? String(relative[..<relative.lastIndex(of: "/")!]) : ""
                if mode == .overwritePartitions && written.contains(directory) { continue }
                let target = stagingDirectory + "/" + relative
                if !directory.isEmpty { try makeDirectories(stagingDirectory + "/" + directory) }
                guard link(tableDirectory + "/" + relative, target) == 0 else {
                    throw IngestError(.output, "cannot link \(tableDirectory)/\(relative) into the staging directory: \(String(cString: strerror(errno)))")
                }
                kept += 1
            }
        }
        try exchange()
        // The staging directory now holds the previous state.
        discard()
        return kept
    }

    /// Swaps the staging and table directories atomically.
    private func exchange() throws(IngestError) {
        #if canImport(Glibc)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") {
            let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
            let atCurrentDirectory: Int32 = -100, renameExchange: UInt32 = 2
            if renameat2(atCurrentDirectory, stagingDirectory, atCurrentDirectory, tableDirectory, renameExchange) == 0 { return }
            guard errno == EINVAL || errno == ENOSYS || errno == ENOTSUP else {
                throw IngestError(.output, "cannot swap \(stagingDirectory) with \(tableDirectory): \(String(cString: strerror(errno)))")
            }
        }
        #endif
        // No atomic exchange on this file system: two renames (a reader may
        // briefly find no table between them).
        let aside = lake.root + "/" + schema + "/" + Self.stagingPrefix(table) + runID + "-old"
        guard rename(tableDirectory, aside) == 0 else {
            throw IngestError(.output, "cannot move \(tableDirectory) aside: \(String(cString: strerror(errno)))")
        }
        guard rename(stagingDirectory, tableDirectory) == 0 else {
            let code = errno
            _ = rename(aside, tableDirectory)
            throw IngestError(.output, "cannot move \(stagingDirectory) to \(tableDirectory): \(String(cString: strerror(code)))")
        }
        guard rename(aside, stagingDirectory) == 0 else { return }
    }

    private func makeDirectories(_ path: String) throws(IngestError) {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw IngestError(.output, "cannot create directory \(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func entries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
