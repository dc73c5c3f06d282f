import Synchronization

/// Why a running statement should stop: raised from another thread (a client's
/// CancelRequest, a statement timeout, a vanished client) and checked by the
/// running statement between units of work.
public final class CancellationFlag: Sendable {
    public enum Reason: UInt8, Sendable {
        case none = 0
        case userRequest = 1
        case statementTimeout = 2
        case clientGone = 3
    }

    private let state = Atomic<UInt8>(0)

    public init() {}

    public func cancel(_ reason: Reason) {
        _ = state.compareExchange(expected: 0, desired: reason.rawValue, ordering: .relaxed)
    }

    public func reset() { state.store(0, ordering: .relaxed) }

    public var reason: Reason { Reason(rawValue: state.load(ordering: .relaxed)) ?? .none }

    /// Throws SQLSTATE 57014 once cancelled.
    public func check() throws(EngineError) {
        switch reason {
        case .none: return
        case .userRequest, .clientGone: throw EngineError("57014", "canceling statement due to user request")
        case .statementTimeout: throw EngineError("57014", "canceling statement due to statement timeout")
        }
    }
}
