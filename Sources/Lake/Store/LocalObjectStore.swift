#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Parquet

/// An `ObjectStore` over a local directory, through POSIX calls. Reads go
/// through Parquet's `LocalFile` (`pread`, safe to share between threads);
/// writes land under a hidden temporary name and are renamed into place, so
/// a reader never sees half an object.
public struct LocalObjectStore: ObjectStore {
    /// Absolute path of the store's directory, without a trailing '/' (except "/").
    public let root: String

    /// A store over `root` (made absolute against the working directory).
    /// The directory need not exist yet: listings of a missing path are empty.
    public init(root: String) {
        var path = root.isEmpty ? "." : root
        if !path.hasPrefix("/") { path = Self.currentDirectory() + "/" + path }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.root = path
    }

    public func location(of path: String) -> String {
        let p = (try? StorePath.normalize(path)) ?? path
        return full(p)
    }

    private func full(_ normalized: String) -> String {
        if normalized.isEmpty { return root }
        return root == "/" ? "/" + normalized : root + "/" + normalized
    }

    // MARK: reading

    public func list(prefix: String) throws(LakeError) -> [ObjectInfo] {
        let base = try StorePath.normalize(prefix)
        guard let st = statFollowing(full(base)) else { return [] }
        if isRegular(st) { return [info(base, st)] }
        guard isDirectory(st) else { return [] }
        var out: [ObjectInfo] = []
        var visited: [DirectoryID] = [DirectoryID(st)]
        try walk(base, into: &out, visited: &visited)
        out.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return out
    }

    /// Depth-first walk; symbolic links are followed, directory cycles are not.
    private func walk(_ dir: String, into out: inout [ObjectInfo], visited: inout [DirectoryID]) throws(LakeError) {
        for name in try entries(dir) {
            let path = StorePath.join(dir, name)
            // Gone since the listing, or a dangling link: not an object.
            guard let st = statFollowing(full(path)) else { continue }
            if isRegular(st) {
                out.append(info(path, st))
            } else if isDirectory(st) {
                let id = DirectoryID(st)
                guard !visited.contains(id) else { continue }
                visited.append(id)
                try walk(path, into: &out, visited: &visited)
                visited.removeLast()
            }
        }
    }

    public func directories(under path: String) throws(LakeError) -> [String] {
        let base = try StorePath.normalize(path)
        guard let st = statFollowing(full(base)), isDirectory(st) else { return [] }
        var out: [String] = []
        for name in try entries(base) {
            if let s = statFollowing(full(StorePath.join(base, name))), isDirectory(s) { out.append(name) }
        }
        return out.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    public func info(_ path: String) throws(LakeError) -> ObjectInfo? {
        let p = try StorePath.normalize(path)
        guard let st = statFollowing(full(p)), isRegular(st) else { return nil }
        return info(p, st)
    }

    public func exists(_ path: String) throws(LakeError) -> Bool {
        statFollowing(full(try StorePath.normalize(path))) != nil
    }

    public func open(_ path: String) throws(LakeError) -> any ByteSource {
        let p = try StorePath.normalize(path)
        do {
            // Lake files are written under a temporary name and renamed: safe to map.
            return try LocalFile(path: full(p), mapped: true)
        } catch {
            let missing = statFollowing(full(p)) == nil
            throw LakeError(missing ? .notFound : .io, error.message, path: full(p))
        }
    }

    // MARK: writing

    public func put(_ path: String, bytes: [UInt8]) throws(LakeError) {
        let sink = try createSink(path)
        do {
            try sink.write(bytes)
            try sink.close()
        } catch {
            throw LakeError(.io, error.message, path: location(of: path))
        }
    }

    public func createSink(_ path: String) throws(LakeError) -> any ParquetSink {
        let p = try StorePath.normalize(path)
        guard !p.isEmpty else { throw LakeError(.invalid, "cannot write an object at the store's root", path: root) }
        try makeDirectory(StorePath.parent(p))
        let finalPath = full(p)
        let temporary = full(StorePath.join(StorePath.parent(p), ".\(StorePath.lastComponent(p)).tmp-\(randomHex())"))
        do {
            return try RenamingFileSink(temporary: temporary, final: finalPath)
        } catch {
            throw LakeError(.io, error.message, path: finalPath)
        }
    }

    public func makeDirectory(_ path: String) throws(LakeError) {
        // Absolute components, so the store's root is created too when missing.
        var current = ""
        for part in full(try StorePath.normalize(path)).split(separator: "/") {
            current += "/" + part
            if let st = statFollowing(current), isDirectory(st) { continue }
            if mkdir(current, 0o755) != 0 {
                let code = errno
                guard code == EEXIST, let st = statFollowing(current), isDirectory(st) else {
                    throw posixError("cannot create directory", current, code)
                }
            }
        }
    }

    public func rename(from: String, to: String) throws(LakeError) {
        let src = try StorePath.normalize(from), dst = try StorePath.normalize(to)
        guard !src.isEmpty, !dst.isEmpty else { throw LakeError(.invalid, "cannot rename the store's root", path: root) }
        try makeDirectory(StorePath.parent(dst))
        #if canImport(Glibc)
        let result = Glibc.rename(full(src), full(dst))
        #else
        let result = Darwin.rename(full(src), full(dst))
        #endif
        if result != 0 {
            let code = errno
            if code == ENOTEMPTY || code == EEXIST {
                throw LakeError(.alreadyExists, "cannot move \(full(src)) to \(full(dst)): the destination exists and is not empty",
                                path: full(dst))
            }
            throw posixError("cannot move \(full(src)) to", full(dst), code)
        }
    }

    public func delete(_ path: String) throws(LakeError) {
        let p = try StorePath.normalize(path)
        guard !p.isEmpty else { throw LakeError(.invalid, "refusing to delete the store's root", path: root) }
        try remove(full(p))
    }

    /// Removes a file, link or directory tree (links are removed, never followed).
    private func remove(_ f: String) throws(LakeError) {
        var st = stat()
        guard lstat(f, &st) == 0 else {
            if errno == ENOENT { return }
            throw posixError("cannot inspect", f, errno)
        }
        if isDirectory(st) {
            for name in try entries(absolute: f) { try remove(f + "/" + name) }
            if rmdir(f) != 0 && errno != ENOENT { throw posixError("cannot remove directory", f, errno) }
        } else if unlink(f) != 0 && errno != ENOENT {
            throw posixError("cannot remove", f, errno)
        }
    }

    // MARK: POSIX helpers

    private func entries(_ path: String) throws(LakeError) -> [String] {
        try entries(absolute: full(path))
    }

    /// The names in a directory, without "." and "..", in no particular order.
    private func entries(absolute f: String) throws(LakeError) -> [String] {
        guard let dir = opendir(f) else { throw posixError("cannot list directory", f, errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw posixError("cannot list directory", f, errno) }
                break
            }
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private func statFollowing(_ f: String) -> stat? {
        var st = stat()
        return Glibc_or_Darwin_stat(f, &st) == 0 ? st : nil
    }

    private func isRegular(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFREG }
    private func isDirectory(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFDIR }

    private func info(_ path: String, _ st: stat) -> ObjectInfo {
        #if canImport(Darwin)
        let t = st.st_mtimespec
        #else
        let t = st.st_mtim
        #endif
        return ObjectInfo(path: path, size: Int(st.st_size), modified: Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec))
    }

    private func posixError(_ what: String, _ f: String, _ code: Int32) -> LakeError {
        let kind: LakeError.Kind = code == ENOENT ? .notFound : .io
        return LakeError(kind, "\(what) \(f): \(String(cString: strerror(code)))", path: f)
    }

    private static func currentDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "/" }
        defer { free(cwd) }
        return String(cString: cwd)
    }
}

/// Identity of a directory (device, inode), to stop at symbolic-link cycles.
private struct DirectoryID: Equatable {
    var device: UInt64
    var inode: UInt64
    init(_ st: stat) {
        device = UInt64(truncatingIfNeeded: st.st_dev)
        inode = UInt64(truncatingIfNeeded: st.st_ino)
    }
}

/// `stat(2)` (following links); `fstatat` because the name `stat` is also the struct's.
@inline(__always) private func Glibc_or_Darwin_stat(_ path: String, _ st: inout stat) -> Int32 {
    fstatat(AT_FDCWD, path, &st, 0)
}

/// A random 16-digit hex string (temporary and staging names; not data).
func randomHex() -> String {
    let value = UInt64.random(in: .min ... .max)
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}

/// Writes to a hidden temporary file and renames it to its final name on
/// close: a reader (or a listing) sees the whole object or none of it.
final class RenamingFileSink: ParquetSink {
    private let inner: FileSink
    private let temporary: String
    private let final: String
    private var published = false

    init(temporary: String, final: String) throws(ParquetError) {
        inner = try FileSink(path: temporary)
        self.temporary = temporary
        self.final = final
    }

    deinit {
        if !published { unlink(temporary) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        try inner.write(bytes)
    }

    func close() throws(ParquetError) {
        try inner.close()
        #if canImport(Glibc)
        let result = Glibc.rename(temporary, final)
        #else
        let result = Darwin.rename(temporary, final)
        #endif
        guard result == 0 else {
            throw ParquetError(.io, "cannot move \(temporary) to \(final): \(String(cString: strerror(errno)))")
        }
        published = true
    }
}
