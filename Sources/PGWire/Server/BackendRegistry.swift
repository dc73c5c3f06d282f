import Engine
import Synchronization

/// The connections with a running session, by process ID, so a CancelRequest
/// (which arrives on a new connection with the pid and secret key from
/// BackendKeyData) can reach the statement it is meant for.
final class BackendRegistry: Sendable {
    private struct Backend {
        var secretKey: Int32
        var cancellation: CancellationFlag
    }

    private let backends = Mutex<[Int32: Backend]>([:])
    private let nextID = Atomic<Int32>(1000)

    /// A new process ID and random secret key for a connection.
    func register(_ cancellation: CancellationFlag) -> (processID: Int32, secretKey: Int32) {
        let key = Int32.random(in: Int32.min...Int32.max)
        while true {
            let pid = nextID.add(1, ordering: .relaxed).newValue & 0x3FFF_FFFF
            let inserted = backends.withLock { table -> Bool in
                guard table[pid] == nil, pid > 0 else { return false }
                table[pid] = Backend(secretKey: key, cancellation: cancellation)
                return true
            }
            if inserted { return (pid, key) }
        }
    }

    func unregister(_ processID: Int32) {
        _ = backends.withLock { $0.removeValue(forKey: processID) }
    }

    /// Cancels the running statement of `processID` when the key matches; a wrong
    /// key is ignored silently, as PostgreSQL does.
    @discardableResult
    func cancel(processID: Int32, secretKey: Int32) -> Bool {
        guard let backend = backends.withLock({ $0[processID] }), backend.secretKey == secretKey else { return false }
        backend.cancellation.cancel(.userRequest)
        return true
    }

    var count: Int { backends.withLock { $0.count } }
}
