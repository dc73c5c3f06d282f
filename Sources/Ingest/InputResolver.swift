#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands the command line's inputs into the files to read, in order:
/// "-" is standard input; a directory is every regular file under it (hidden
/// names skipped, sorted); a pattern with `*`, `?` or `[` is expanded by
/// glob(3) (sorted); anything else must be a readable file.
enum InputResolver {
    static func resolve(_ inputs: [String]) throws(IngestError) -> [String] {
        guard !inputs.isEmpty else { throw IngestError(.usage, "no input given (files, directories, globs, or - for standard input)") }
        var out: [String] = []
        for input in inputs {
            if input == "-" { out.append(input); continue }
            var st = stat()
            if stat(input, &st) == 0 {
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    let files = walk(input)
                    guard !files.isEmpty else { throw IngestError(.input, "directory \(input) holds no files") }
                    out += files
                } else {
                    out.append(input)
                }
                continue
            }
            if input.contains("*") || input.contains("?") || input.contains("[") {
                let matches = glob(input)
                guard !matches.isEmpty else { throw IngestError(.input, "no file matches \(input)") }
                out += matches
                continue
            }
            throw IngestError(.input, "cannot read \(input): \(String(cString: strerror(errno)))")
        }
        guard out.filter({ $0 == "-" }).count <= 1 else { throw IngestError(.usage, "standard input (-) can be read only once") }
        return out
    }

    private static func walk(_ directory: String) -> [String] {
        var out: [String] = []
        for name in TablePublisher.entries(directory).sorted() where !name.hasPrefix(".") && !name.hasPrefix("_") {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR { out += walk(path) } else if (st.st_mode & S_IFMT) == S_IFREG { out.append(path) }
        }
        return out
    }

    private static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc_or_Darwin_glob(pattern, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out.sorted()
    }

    /// The size of a regular file, nil for standard input and pipes.
    static func size(_ path: String) -> Int? {
        guard path != "-" else { return nil }
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_size)
    }
}

@inline(__always) private func Glibc_or_Darwin_glob(_ pattern: String, _ g: inout glob_t) -> Int32 {
    #if canImport(Glibc)
    Glibc.glob(pattern, 0, nil, &g)
    #else
    Darwin.glob(pattern, 0, nil, &g)
    #endif
}
