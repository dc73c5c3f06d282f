import Parquet

/// One stored object (a file), as a listing reports it.
public struct ObjectInfo: Sendable, Hashable {
    /// Path relative to the store's root, '/'-separated, without a leading '/'.
    public var path: String
    public var size: Int
    /// Last modification, in nanoseconds since 1970-01-01 UTC (with the
    /// size, what caches key on to notice a replaced file).
    public var modified: Int64

    public init(path: String, size: Int, modified: Int64) {
        self.path = path
        self.size = size
        self.modified = modified
    }
}

/// Where the lake's bytes live. Everything above talks to this protocol and
/// never to the file system, so an S3-style store can follow; the operations
/// are the ones object stores have (list by prefix, ranged reads, whole puts)
/// plus a rename that is atomic within the store, used to publish staged files.
///
/// Paths are relative to the store's root, '/'-separated; "" is the root.
/// `..` components are refused.
public protocol ObjectStore: Sendable {
    /// The store's root, for messages ("/data/lake", later "s3://bucket/prefix").
    var root: String { get }

    /// The full location of `path` ("/data/lake/sales/orders"), for messages and EXPLAIN.
    func location(of path: String) -> String

    /// Every object (file) under `prefix`, recursively, sorted by path (byte
    /// order). `prefix` names a directory (or a single object); a prefix that
    /// does not exist lists nothing.
    func list(prefix: String) throws(LakeError) -> [ObjectInfo]

    /// The names of the directories directly under `path` (S3: common
    /// prefixes), sorted; empty when `path` does not exist.
    func directories(under path: String) throws(LakeError) -> [String]

    /// The object at `path`, nil when there is none (or it is a directory).
    func info(_ path: String) throws(LakeError) -> ObjectInfo?

    /// Whether anything (object or directory) exists at `path`.
    func exists(_ path: String) throws(LakeError) -> Bool

    /// The object's bytes for ranged reads (Parquet's reader asks for the
    /// footer, then one column chunk at a time).
    func open(_ path: String) throws(LakeError) -> any ByteSource

    /// Stores `bytes` at `path` whole (readers see the old object or the new one).
    func put(_ path: String, bytes: [UInt8]) throws(LakeError)

    /// A sink that streams a new object to `path` (for large Parquet files);
    /// the object is complete once the sink is closed.
    func createSink(_ path: String) throws(LakeError) -> any ParquetSink

    /// Creates the directory and its parents (nothing to do when it exists;
    /// object stores without directories may ignore it).
    func makeDirectory(_ path: String) throws(LakeError)

    /// Moves an object or a whole directory, atomically within the store.
    /// Replaces an existing object or empty directory at `to`; fails with
    /// `.alreadyExists` when `to` is a non-empty directory. Creates `to`'s parents.
    func rename(from: String, to: String) throws(LakeError)

    /// Deletes an object or a directory with everything under it; nothing to
    /// do when `path` does not exist.
    func delete(_ path: String) throws(LakeError)
}

/// Store paths: normalized, joined and checked in one place.
enum StorePath {
    /// `path` with empty and "." components dropped, "" for the root. Refuses
    /// "..", NUL bytes and absolute paths (which would escape the store).
    static func normalize(_ path: String) throws(LakeError) -> String {
        // Paths from listings are already normal: checked byte by byte, they come back as they are.
        if isNormal(path) { return path }
        guard !path.hasPrefix("/") else {
            throw LakeError(.invalid, "store path '\(path)' must be relative to the store's root", path: path)
        }
        guard !path.utf8.contains(0) else { throw LakeError(.invalid, "store path contains a NUL byte", path: path) }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            guard part != ".." else { throw LakeError(.invalid, "store path '\(path)' must not contain '..'", path: path) }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// Whether `path` is relative, without NUL bytes, empty, "." or ".." components.
    private static func isNormal(_ path: String) -> Bool {
        var length = 0, dots = 0
        for byte in path.utf8 {
            if byte == 0 { return false }
            if byte == UInt8(ascii: "/") {
                // An empty component (leading, doubled or trailing '/') or "." / "..".
                if length == 0 || (length == dots && dots <= 2) { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        if length == 0 { return path.isEmpty }
        return !(length == dots && dots <= 2)
    }

    static func join(_ a: String, _ b: String) -> String {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        return a + "/" + b
    }

    /// The last component ("part-0.parquet" of "a/b/part-0.parquet").
    static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Everything before the last component ("" for a top-level name).
    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }
}
