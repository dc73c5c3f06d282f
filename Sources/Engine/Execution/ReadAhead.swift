import Columnar
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scan's morsels read ahead of its consumer on worker threads, handed over in morsel
/// order. The consumer (a join probing, an aggregation folding) works on one morsel while
/// the workers decode the next ones: in waves, a core waited at each wave's end for the
/// other's morsel and then for the consumer, up to a third of a TPC-H query's time.
///
/// At most `window` morsels past the one the consumer waits for are read ahead, so a
/// LIMIT that stops early wastes at most that many. A morsel no worker has started when the
/// consumer needs it is read by the consumer itself: a wait is only ever for a morsel some
/// thread is reading, so scans nested in a worker's work (a subquery in a filter) cannot
/// wait on each other.
final class ReadAhead: @unchecked Sendable {
    private enum Slot {
        case pending
        case running
        case done(Result<RecordBatch, EngineError>)
        case taken
    }

    private var mutex = pthread_mutex_t()
    private var finished = pthread_cond_t()
    private var slots: [Slot]
    /// Morsels below this may be read (the consumer's morsel plus `window`).
    private var limit = 0
    /// The lowest morsel that may still be pending.
    private var nextPending = 0
    private var workers = 0
    private var stopped = false
    let window: Int
    /// Worker threads at most: with the consumer reading too, one per core in all.
    let maximumWorkers: Int
    private let read: @Sendable (Int) throws(EngineError) -> RecordBatch

    init(count: Int, threads: Int, read: @escaping @Sendable (Int) throws(EngineError) -> RecordBatch) {
        slots = Array(repeating: .pending, count: count)
        window = threads
        maximumWorkers = threads - 1
        self.read = read
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&finished, nil)
    }

    deinit {
        pthread_cond_destroy(&finished)
        pthread_mutex_destroy(&mutex)
    }

    /// Morsel `k`'s batch (k ascending, each once), reading ahead up to `window` past it.
    func take(_ k: Int) throws(EngineError) -> RecordBatch {
        pthread_mutex_lock(&mutex)
        limit = max(limit, min(slots.count, k + 1 + window))
        while !stopped, workers < maximumWorkers, pendingSlot() != nil {
            workers += 1
            DispatchQueue.global().async { [self] in work() }
        }
        while true {
            switch slots[k] {
            case .pending:
                slots[k] = .running
                pthread_mutex_unlock(&mutex)
                let result = Result { () throws(EngineError) in try read(k) }
                pthread_mutex_lock(&mutex)
                slots[k] = .taken
                pthread_mutex_unlock(&mutex)
                return try result.get()
            case .running:
                // Rather than wait, read a later morsel no worker has started.
                if let j = pendingSlot() {
                    run(j)
                } else {
                    pthread_cond_wait(&finished, &mutex)
                }
            case let .done(result):
                slots[k] = .taken
                pthread_mutex_unlock(&mutex)
                return try result.get()
            case .taken:
                pthread_mutex_unlock(&mutex)
                preconditionFailure("morsel \(k) taken twice")
            }
        }
    }

    /// Morsels not yet started are left unread (the consumer has stopped: LIMIT, an error).
    func stop() {
        pthread_mutex_lock(&mutex)
        stopped = true
        pthread_mutex_unlock(&mutex)
    }

    /// The lowest pending morsel below `limit` (called with the mutex held).
    private func pendingSlot() -> Int? {
        while nextPending < limit {
            if case .pending = slots[nextPending] { return nextPending }
            nextPending += 1
        }
        return nil
    }

    /// Reads morsel `j` and keeps its result (called, and returns, with the mutex held).
    private func run(_ j: Int) {
        slots[j] = .running
        pthread_mutex_unlock(&mutex)
        let result = Result { () throws(EngineError) in try read(j) }
        pthread_mutex_lock(&mutex)
        slots[j] = .done(result)
        pthread_cond_broadcast(&finished)
    }

    /// A worker: reads pending morsels within the window until there are none.
    private func work() {
        pthread_mutex_lock(&mutex)
        while !stopped, let j = pendingSlot() { run(j) }
        workers -= 1
        pthread_mutex_unlock(&mutex)
    }
}
