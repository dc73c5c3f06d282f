import Engine
import Foundation
import Synchronization

/// Lets at most `capacity` queries run at once (and at most `perUser` of one
/// user); the others wait in arrival order, up to `maxQueued` of them, each for
/// at most `timeout`. A query that cannot get in gets an error, never a hang:
/// 53300 when the queue is full, 57014 when its wait times out or it is cancelled.
final class AdmissionController: @unchecked Sendable {
    let capacity: Int
    let perUser: Int
    let maxQueued: Int
    let timeout: Double

    private let condition = NSCondition()
    private var running = 0
    private var runningByUser: [String: Int] = [:]
    /// Tickets of the waiting queries, in arrival order, with their users.
    private var queue: [(ticket: UInt64, user: String)] = []
    private var nextTicket: UInt64 = 0
    private(set) var admittedTotal = 0
    private(set) var rejectedTotal = 0
    /// Sum of the time admitted queries waited, in seconds.
    private(set) var waitedSeconds = 0.0
    /// The most queries that ever ran at once.
    private(set) var peakRunning = 0

    init(capacity: Int, perUser: Int?, maxQueued: Int, timeout: Double) {
        self.capacity = max(1, capacity)
        self.perUser = max(1, min(perUser ?? capacity, capacity))
        self.maxQueued = max(0, maxQueued)
        self.timeout = timeout
    }

    /// Waits for a slot; throws when the query cannot be admitted.
    func acquire(user: String, cancellation: CancellationFlag) throws(EngineError) {
        let start = Date()
        condition.lock()
        defer { condition.unlock() }
        if queue.isEmpty, canRun(user) {
            admit(user)
            return
        }
        guard queue.count < maxQueued else {
            rejectedTotal += 1
            throw EngineError("53300", "too many queries waiting: \(queue.count) queued behind \(running) running",
                              hint: "Retry later, or raise --max-queued-queries.")
        }
        nextTicket += 1
        let ticket = nextTicket
        queue.append((ticket, user))
        defer { queue.removeAll { $0.ticket == ticket } }
        let deadline = start.addingTimeInterval(timeout)
        while true {
            // The first waiter whose user is under its limit goes next.
            if canRun(user), queue.first(where: { canRun($0.user) })?.ticket == ticket {
                admit(user)
                waitedSeconds += Date().timeIntervalSince(start)
                condition.broadcast()
                return
            }
            if cancellation.reason != .none {
                rejectedTotal += 1
                try cancellation.check()
            }
            if Date() >= deadline {
                rejectedTotal += 1
                throw EngineError("57014", "canceling statement: it waited \(Int(timeout)) s for one of \(capacity) query slots",
                                  hint: "The server is busy; retry later or raise --max-concurrent-queries.")
            }
            // Wake up now and then to notice cancellation.
            _ = condition.wait(until: min(deadline, Date().addingTimeInterval(0.05)))
        }
    }

    /// Takes a slot only if one is free and nobody is queued (never waits).
    func tryAcquire(user: String) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard queue.isEmpty, canRun(user) else { return false }
        admit(user)
        return true
    }

    func release(user: String) {
        condition.lock()
        running -= 1
        runningByUser[user, default: 1] -= 1
        if runningByUser[user] == 0 { runningByUser[user] = nil }
        condition.broadcast()
        condition.unlock()
    }

    /// (running, queued) right now.
    var load: (running: Int, queued: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (running, queue.count)
    }

    private func canRun(_ user: String) -> Bool {
        running < capacity && runningByUser[user, default: 0] < perUser
    }

    private func admit(_ user: String) {
        running += 1
        peakRunning = max(peakRunning, running)
        runningByUser[user, default: 0] += 1
        admittedTotal += 1
    }
}
