#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Applies `--on-error` to rejected records: `fail` stops at the first one
/// (the ingest then writes nothing), `skip` counts them, `quarantine` also
/// appends each, with its file, line, column and reason, to a side file of
/// NDJSON lines: {"file", "line", "column", "field", "reason", "record"}.
final class RejectHandler {
    let policy: IngestOptions.ErrorPolicy
    let quarantinePath: String?
    private var file: UnsafeMutablePointer<FILE>?
    private(set) var count = 0
    /// The first few rejects, for the summary.
    private(set) var samples: [RejectedRecord] = []

    init(policy: IngestOptions.ErrorPolicy, quarantinePath: String?) {
        self.policy = policy
        self.quarantinePath = quarantinePath
    }

    deinit { if let file { fclose(file) } }

    func handle(_ rejects: [RejectedRecord]) throws(IngestError) {
        guard let first = rejects.first else { return }
        if policy == .fail {
            throw IngestError(.record, first.reason + " (use --on-error skip or quarantine to drop bad records)", at: first.position)
        }
        count += rejects.count
        for r in rejects where samples.count < 5 { samples.append(r) }
        guard policy == .quarantine, let quarantinePath else { return }
        if file == nil {
            guard let f = fopen(quarantinePath, "w") else {
                throw IngestError(.output, "cannot create the quarantine file \(quarantinePath): \(String(cString: strerror(errno)))")
            }
            file = f
        }
        for r in rejects {
            var line = "{\"file\": \(ValueText.jsonString(r.position.file)), \"line\": \(r.position.line), \"column\": \(r.position.column), "
            line += "\"field\": \(r.position.field.map(ValueText.jsonString) ?? "null"), \"reason\": \(ValueText.jsonString(r.reason)), "
            line += "\"record\": \(ValueText.jsonString(r.text))}\n"
            guard fputs(line, file) >= 0 else {
                throw IngestError(.output, "cannot write the quarantine file \(quarantinePath): \(String(cString: strerror(errno)))")
            }
        }
    }

    func close() {
        if let file { fclose(file) }
        file = nil
    }
}
