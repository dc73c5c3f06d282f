import Dispatch
import Foundation

/// Parses blocks on worker threads and hands the results back in input
/// order: the caller's thread reads the next blocks while `workers` blocks
/// are parsed, then consumes (partitions, encodes, writes) each result as
/// soon as it and all before it are ready. At most `workers + 1` blocks are
/// in flight, which bounds the memory they hold.
enum ParallelBlocks {
    static func run(workers: Int,
                    next: () throws(IngestError) -> [UInt8]?,
                    parse: @escaping @Sendable ([UInt8]) -> ParsedChunk,
                    consume: (ParsedChunk) throws(IngestError) -> Void) throws(IngestError) {
        let state = ResultQueue()
        var submitted = 0, consumed = 0
        var inputDone = false
        let limit = max(1, workers) + 1
        // Wait for every task still running before leaving (they own their blocks only, but
        // callers may tear down state as soon as this returns).
        defer { state.waitForAll(submitted) }
        while true {
            while !inputDone && submitted - consumed < limit {
                guard let block = try next() else { inputDone = true; break }
                let sequence = submitted
                submitted += 1
                if workers <= 1 {
                    state.put(sequence, parse(block))
                } else {
                    DispatchQueue.global().async { state.put(sequence, parse(block)) }
                }
            }
            if consumed == submitted { return }
            let chunk = state.take(consumed)
            consumed += 1
            try consume(chunk)
        }
    }
}

/// Finished chunks by sequence number.
private final class ResultQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [Int: ParsedChunk] = [:]
    private var finished = 0

    func put(_ sequence: Int, _ chunk: ParsedChunk) {
        condition.lock()
        results[sequence] = chunk
        finished += 1
        condition.broadcast()
        condition.unlock()
    }

    func take(_ sequence: Int) -> ParsedChunk {
        condition.lock()
        defer { condition.unlock() }
        while results[sequence] == nil { condition.wait() }
        return results.removeValue(forKey: sequence)!
    }

    func waitForAll(_ count: Int) {
        condition.lock()
        while finished < count { condition.wait() }
        results.removeAll()
        condition.unlock()
    }
}
