import ArgumentParser
import Columnar
import Dispatch
import Parquet

/// `basalt parquet scan FILE`: decode columns into memory and report the time,
/// for benchmarks (tools/bench) and for checking a whole file decodes.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Decode a Parquet file's columns into memory and report rows, bytes and seconds (JSON, one line per repetition)."
    )

    @Argument(help: "The Parquet file.") var file: String
    @Option(help: "Comma-separated top-level columns (default: all).") var columns: String?
    @Option(help: "Decoding threads (default: all cores).") var threads: Int?
    @Option(help: "How many times to scan.") var `repeat`: Int = 1

    func run() throws {
        let parquet = try openOrExit(file)
        let selected: [Int]
        do {
            selected = try columns.map { try ColumnSelection.resolve($0, in: parquet) } ?? Array(parquet.schema.columns.indices)
        } catch {
            printError("basalt: \(error)")
            throw ExitCode(1)
        }
        let threadCount = max(1, threads ?? ProcessInfoLite.activeProcessorCount)
        for _ in 0..<max(1, self.repeat) {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try ParallelScan.scan(parquet, columns: selected, threads: threadCount)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print("{\"seconds\": \(seconds), \"rows\": \(result.rows), \"decoded_bytes\": \(result.bytes), \"threads\": \(threadCount)}")
        }
    }
}

enum ProcessInfoLite {
    static var activeProcessorCount: Int {
        #if canImport(Glibc)
        Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        2
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Decodes (row group, column) morsels on `threads` workers: parallel across row
/// groups and across the columns of each, so that a file with few row groups keeps
/// every worker busy. Largest morsels first (by uncompressed size), so that a big
/// chunk taken last does not leave the other workers idle at the end.
enum ParallelScan {
    struct Result { var rows = 0, bytes = 0 }

    static func scan(_ file: ParquetFile, columns: [Int], threads: Int) throws -> Result {
        let morsels = order((0..<file.rowGroupCount).flatMap { g in columns.map { (g, $0) } }, in: file)
        let results = ResultSlots(count: morsels.count)
        let next = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: min(threads, max(1, morsels.count))) { _ in
            while true {
                let i = next.increment()
                guard i < morsels.count else { return }
                let (g, c) = morsels[i]
                do {
                    let batch = try file.readRowGroup(g, columns: [c])
                    results.set(i, .success((c == columns[0] ? batch.rowCount : 0, batch.byteSize)))
                } catch {
                    results.set(i, .failure(error))
                }
            }
        }
        var total = Result()
        for r in results.values {
            switch r {
            case let .success((rows, bytes))?: total.rows += rows; total.bytes += bytes
            case let .failure(error)?: throw error
            case nil: break
            }
        }
        return total
    }

    /// Morsels by decreasing uncompressed size (the sum over the column's leaf chunks).
    static func order(_ morsels: [(Int, Int)], in file: ParquetFile) -> [(Int, Int)] {
        let names = file.schema.columns.map(\.name)
        var leavesOf: [String: [Int]] = [:]
        for leaf in file.schema.leaves { leavesOf[leaf.path.first ?? "", default: []].append(leaf.index) }
        func size(_ m: (Int, Int)) -> Int64 {
            let chunks = file.metadata.rowGroups[m.0].columns
            return (leavesOf[names[m.1]] ?? []).reduce(0) { total, leaf in
                total + (leaf < chunks.count ? chunks[leaf].metaData?.totalUncompressedSize ?? 0 : 0)
            }
        }
        return morsels.map { ($0, size($0)) }.enumerated()
            .sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }
            .map(\.element.0)
    }
}

final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLockLite()
    func increment() -> Int { lock.withLock { value += 1; return value - 1 } }
}

final class ResultSlots: @unchecked Sendable {
    private(set) var values: [Result<(Int, Int), any Error>?]
    private let lock = NSLockLite()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<(Int, Int), any Error>) { lock.withLock { values[i] = r } }
}

/// A pthread mutex (Foundation-free).
final class NSLockLite: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
