import ArgumentParser
import Ingest
import Lake

/// `basalt demo ...`: the built-in demo sales lake.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate the built-in demo sales lake.",
        subcommands: [DemoGenerateCommand.self]
    )
}

/// `basalt demo generate --lake DIR [--scale S] [--seed N] [--force]`.
struct DemoGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write the demo sales lake (sales.orders, customers, products, employees) as Parquet, deterministically.",
        discussion: """
            Scale 1 is about 1,000,000 order lines and 50,000 customers (tens of MB); \
            the same scale and seed always give byte-identical files.
            """
    )

    @Option(help: "The lake directory (created when missing).") var lake: String
    @Option(help: "Scale factor: multiplies order lines (1,000,000) and customers (50,000).") var scale: Double = 1
    @Option(help: "Seed of the pseudo-random values.") var seed: UInt64 = 42
    @Flag(help: "Replace an existing demo lake.") var force = false

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let summary: DemoLake.Summary
        do {
            summary = try DemoLake.generate(into: lake, scale: scale, seed: seed, force: force)
        } catch {
            printError("basalt: \(error)")
            throw ExitCode(1)
        }
        let elapsed = clock.now - start
        print(DemoSummaryText.render(summary, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
    }
}

/// The summary `basalt demo generate` prints: one line per table, then the totals.
enum DemoSummaryText {
    static func render(_ summary: DemoLake.Summary, seconds: Double) -> String {
        var lines = ["demo lake \(summary.lake) (scale \(summary.scale), seed \(summary.seed)) written in \(IngestProgress.fixed(seconds, 1)) s"]
        let width = max(5, summary.tables.map(\.name.count).max() ?? 0)
        func row(_ name: String, _ rows: Int, _ files: Int, _ bytes: Int) -> String {
            pad(name, width, left: true) + "  " + pad(grouped(rows), 11) + " rows  " + pad(String(files), 3)
                + (files == 1 ? " file   " : " files  ") + pad(megabytes(bytes), 9)
        }
        for t in summary.tables { lines.append("  " + row(t.name, t.rows, t.files, t.bytes)) }
        lines.append("  " + row("total", summary.rows, summary.files, summary.bytes))
        return lines.joined(separator: "\n")
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1_000_000 ? IngestProgress.fixed(Double(bytes) / 1_000_000, 1) + " MB" : IngestProgress.fixed(Double(bytes) / 1_000, 1) + " kB"
    }


    static func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? s + fill : fill + s
    }
}
