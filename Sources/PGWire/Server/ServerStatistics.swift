import Synchronization

/// Counters of the server's life (exposed on /metrics and in tests).
final class ServerStatistics: Sendable {
    let connectionsOpened = Atomic<Int>(0)
    let connectionsOpen = Atomic<Int>(0)
    let connectionsRefused = Atomic<Int>(0)
    let authenticationFailures = Atomic<Int>(0)
    let queriesSucceeded = Atomic<Int>(0)
    let queriesFailed = Atomic<Int>(0)
    let queriesCancelled = Atomic<Int>(0)
    let rowsSent = Atomic<Int>(0)
    /// Requests answered from the result cache on the event loop, without the connection's thread.
    let answeredOnEventLoop = Atomic<Int>(0)
    let protocolErrors = Atomic<Int>(0)
    let filesRead = Atomic<Int>(0)
    let filesSkipped = Atomic<Int>(0)
    let rowGroupsRead = Atomic<Int>(0)
    let rowGroupsSkipped = Atomic<Int>(0)
    let pagesRead = Atomic<Int>(0)
    let pagesSkipped = Atomic<Int>(0)
}
