#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Remembers tables' versions between listings for as long as nothing under the
/// lake changes, watched with Linux's inotify.
///
/// The server checks a cached result's tables on every hit; listing a table's
/// directories costs more syscalls than the rest of the hit. With the watch, a
/// check is a generation compare: any event in a watched directory (a file or
/// directory created, removed, renamed, written or touched; the metastore's
/// directory included, so registrations count) starts a new generation, and
/// versions from older generations are listed again. The watched directories
/// are the lake's root, `_basalt/`, each schema directory asked about, and every
/// directory of the tables asked about; a directory that appears later is
/// announced by its parent's event and watched at the next listing. Events are
/// read by the asking thread itself, so a change is never missed for want of a
/// reader having run yet. Where inotify is missing or out of watches, every
/// call lists, as before, and so on network and FUSE file systems, where
/// another machine's changes raise no event here.
final class TableVersionMemo: Sendable {
    private let root: String
    private struct State {
        var started = false
        var descriptor: Int32 = -1
        var watched: Set<String> = []
        var usable = true
        var versions: [String: (generation: UInt64, version: UInt64?)] = [:]
    }
    private let state = Mutex(State())
    private let generation = Atomic<UInt64>(0)

    init(root: String) {
        self.root = root
    }

    deinit {
        #if os(Linux)
        let fd = state.withLock { $0.descriptor }
        if fd >= 0 { close(fd) }
        #endif
    }

    /// The version of `key` (schema/table) from `list`, which returns the version, every
    /// directory of the table (absolute paths, empty ones too) and whether the answer may be
    /// remembered.
    func version(schema: String, table: String,
                 list: () throws(LakeError) -> (version: UInt64?, directories: [String], rememberable: Bool)) throws(LakeError) -> UInt64? {
        #if os(Linux)
        guard start() else { return try list().version }
        let key = schema + "/" + table
        drainEvents()
        var before = generation.load(ordering: .acquiring)
        if let known = state.withLock({ $0.versions[key] }), known.generation == before { return known.version }
        // A listing is trusted once every directory it saw was watched before it began: then
        // any change since shows as an event. Directories watched just now (new ones, or all
        // of them after an event, since a replaced directory is a new inode) mean listing again.
        for _ in 0..<4 {
            let listed = try list()
            guard listed.rememberable else { return listed.version }
            var added = false
            for directory in [root, root + "/_basalt", root + "/" + schema] + listed.directories {
                switch watch(directory) {
                case .failed: return listed.version
                case .added: added = true
                case .known: break
                }
            }
            if !added {
                state.withLock { $0.versions[key] = (before, listed.version) }
                return listed.version
            }
            drainEvents()
            before = generation.load(ordering: .acquiring)
        }
        return try list().version  // the table keeps changing: answer without remembering
        #else
        return try list().version
        #endif
    }

    /// The remembered version of schema/table when it is still current (nil: not known without
    /// a listing; then `.some(nil)` means the table is known not to exist).
    func remembered(schema: String, table: String) -> UInt64?? {
        #if os(Linux)
        guard start() else { return nil }
        drainEvents()
        let now = generation.load(ordering: .acquiring)
        guard let known = state.withLock({ $0.versions[schema + "/" + table] }), known.generation == now else { return nil }
        return .some(known.version)
        #else
        return nil
        #endif
    }

    #if os(Linux)
    private enum WatchOutcome { case added, known, failed }

    private func watch(_ directory: String) -> WatchOutcome {
        state.withLock { s in
            guard s.usable, s.descriptor >= 0 else { return .failed }
            if s.watched.contains(directory) { return .known }
            let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_CLOSE_WRITE
                | IN_DELETE_SELF | IN_MOVE_SELF)
            guard inotify_add_watch(s.descriptor, directory, mask) >= 0 else {
                // A directory that does not exist (yet) is announced by its parent; out of
                // watches (ENOSPC), remembering stops for good.
                if errno == ENOENT || errno == ENOTDIR { return .added }
                s.usable = false
                s.versions.removeAll()
                return .failed
            }
            s.watched.insert(directory)
            return .added
        }
    }

    /// Opens the inotify descriptor (once; false when there is none to use, or when the lake
    /// is on a network or FUSE file system, where changes made elsewhere raise no event).
    private func start() -> Bool {
        state.withLock { s in
            if !s.started {
                s.started = true
                if Self.isRemote(root) {
                    s.usable = false
                } else {
                    s.descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
                    if s.descriptor < 0 { s.usable = false }
                }
            }
            return s.usable && s.descriptor >= 0
        }
    }

    /// Whether `path` is on a file system whose changes from other machines inotify does not
    /// see: the type of its mount (the longest mount point containing it, from /proc/mounts).
    static func isRemote(_ path: String) -> Bool {
        guard let real = realpath(path, nil) else { return true }  // unknown: do not trust a watch
        let resolved = String(cString: real)
        free(real)
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return true }
        var best = (point: "", type: "")
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            // Mount points escape spaces as \040.
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let inside = point == "/" || resolved == point || resolved.hasPrefix(point + "/")
            if inside && point.count >= best.point.count { best = (point, String(fields[2])) }
        }
        let remote = ["nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "9p", "afs", "lustre", "gpfs", "glusterfs", "fuse"]
        return remote.contains(best.type) || best.type.hasPrefix("fuse.")
    }

    /// Reads the events queued so far; any starts a new generation. The kernel queues an
    /// event before the change's system call returns, so a change made before this call
    /// is always seen (no reader thread to race with).
    private func drainEvents() {
        state.withLock { s in
            var pending: Int32 = 0
            guard ioctl(s.descriptor, UInt(FIONREAD), &pending) == 0, pending > 0 else { return }
            var buffer = [UInt8](repeating: 0, count: max(Int(pending), 4096))
            var any = false
            while true {
                let n = buffer.withUnsafeMutableBytes { read(s.descriptor, $0.baseAddress, $0.count) }
                if n > 0 { any = true; continue }
                if n < 0 && errno == EINTR { continue }
                break  // EAGAIN: drained
            }
            if any {
                generation.add(1, ordering: .releasing)
                // A directory replaced under its path is a new inode the old watch does not
                // see: every path is watched afresh at its next listing.
                s.watched.removeAll(keepingCapacity: true)
            }
        }
    }
    #endif
}
