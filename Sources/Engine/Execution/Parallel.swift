import Dispatch

/// Runs an operator's per-batch work on several threads: join probes over
/// slices of a probe batch, aggregation over hash partitions of a batch.
enum Parallel {
    /// `body(i)` for i in 0..<count, concurrently when count > 1; results in index
    /// order, the lowest index's error rethrown.
    static func map<T>(_ count: Int, _ body: (Int) throws(EngineError) -> T) throws(EngineError) -> [T] {
        if count == 1 { return [try body(0)] }
        let results = UnsafeResultBox<T>(count: count)
        withoutActuallyEscaping(body) { body in
            let run = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                do throws(EngineError) { results.set(i, .success(try run.value(i))) } catch { results.set(i, .failure(error)) }
            }
        }
        var out: [T] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            switch results.get(i) {
            case let .success(v): out.append(v)
            case let .failure(e): throw e
            case nil: preconditionFailure("parallel task \(i) produced nothing")
            }
        }
        return out
    }

    /// Splits `0..<n` into at most `parts` contiguous ranges of at least `minimum` elements.
    static func ranges(_ n: Int, parts: Int, minimum: Int) -> [Range<Int>] {
        let k = max(1, min(parts, n / max(1, minimum)))
        return (0..<k).map { i in (n * i / k)..<(n * (i + 1) / k) }
    }
}

/// Hands a value the compiler cannot prove thread-safe to worker threads that only
/// read it (or write disjoint parts of it).
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
