import Foundation

/// Where the shared Parquet conformance corpus lives: `PARQUET_TESTING` or
/// `<repo>/../shared/parquet-testing`.
enum Corpus {
    static var root: URL {
        if let env = ProcessInfo.processInfo.environment["PARQUET_TESTING"] { return URL(fileURLWithPath: env) }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/parquet-testing")
    }

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
