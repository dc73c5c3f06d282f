import NIOCore
import NIOHTTP1
import NIOPosix

/// `GET /metrics` in Prometheus's text format (and `GET /health`), on the
/// HTTP port. A handful of counters and gauges, written by hand: the format
/// is four lines per metric, not worth a dependency.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let render: @Sendable () -> String
    private var path = ""

    init(render: @escaping @Sendable () -> String) {
        self.render = render
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            path = head.method == .GET ? head.uri : ""
        case .body:
            break
        case .end:
            let (status, body): (HTTPResponseStatus, String) = switch path {
            case "/metrics": (.ok, render())
            case "/health": (.ok, "ok\n")
            default: (.notFound, "not found: try /metrics\n")
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: path == "/metrics" ? "text/plain; version=0.0.4" : "text/plain")
            headers.add(name: "Content-Length", value: String(body.utf8.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// The metrics page of one server.
enum MetricsPage {
    static func render(_ context: ServerContext) -> String {
        let s = context.statistics
        let load = context.admission.load
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP basalt_\(name) \(help)\n# TYPE basalt_\(name) \(type)\n"
            for sample in samples { out += "basalt_\(name)\(sample.labels) \(sample.value)\n" }
        }
        func int(_ v: Int) -> String { String(v) }
        metric("connections_open", "gauge", "Client connections with a session.", [("", int(s.connectionsOpen.load(ordering: .relaxed)))])
        metric("connections_total", "counter", "Sessions started.", [("", int(s.connectionsOpened.load(ordering: .relaxed)))])
        metric("connections_refused_total", "counter", "Connections refused at the connection limit.",
               [("", int(s.connectionsRefused.load(ordering: .relaxed)))])
        metric("authentication_failures_total", "counter", "Failed logins.", [("", int(s.authenticationFailures.load(ordering: .relaxed)))])
        metric("queries_total", "counter", "Statements by outcome.", [
            ("{outcome=\"success\"}", int(s.queriesSucceeded.load(ordering: .relaxed))),
            ("{outcome=\"error\"}", int(s.queriesFailed.load(ordering: .relaxed))),
            ("{outcome=\"cancelled\"}", int(s.queriesCancelled.load(ordering: .relaxed))),
        ])
        metric("queries_running", "gauge", "Statements holding an admission slot.", [("", int(load.running))])
        metric("queries_running_peak", "gauge", "Most statements ever running at once.", [("", int(context.admission.peakRunning))])
        metric("queue_depth", "gauge", "Statements waiting for an admission slot.", [("", int(load.queued))])
        metric("queue_wait_seconds_total", "counter", "Time admitted statements waited for a slot.",
               [("", String(context.admission.waitedSeconds))])
        metric("queue_rejections_total", "counter", "Statements refused by admission control (full queue, timeout).",
               [("", int(context.admission.rejectedTotal))])
        let cache = context.engine.resultCache.statistics
        metric("result_cache_requests_total", "counter", "Result cache lookups by outcome.", [
            ("{outcome=\"hit\"}", int(cache.hits)), ("{outcome=\"miss\"}", int(cache.misses)),
        ])
        metric("requests_answered_on_event_loop_total", "counter", "Requests answered from the result cache without a hand-off to the connection's thread.",
               [("", int(s.answeredOnEventLoop.load(ordering: .relaxed)))])
        metric("result_cache_bytes", "gauge", "Bytes of results held by the cache.", [("", int(cache.bytes))])
        metric("result_cache_entries", "gauge", "Results held by the cache.", [("", int(cache.entries))])
        metric("result_cache_evictions_total", "counter", "Results pushed out of the cache.", [("", int(cache.evictions))])
        metric("scan_files_total", "counter", "Parquet files of scanned tables, read or skipped by partition pruning.", [
            ("{outcome=\"read\"}", int(s.filesRead.load(ordering: .relaxed))), ("{outcome=\"skipped\"}", int(s.filesSkipped.load(ordering: .relaxed))),
        ])
        metric("scan_row_groups_total", "counter", "Row groups of scanned files, read or skipped by statistics, bloom filters, dictionaries, page index.", [
            ("{outcome=\"read\"}", int(s.rowGroupsRead.load(ordering: .relaxed))),
            ("{outcome=\"skipped\"}", int(s.rowGroupsSkipped.load(ordering: .relaxed))),
        ])
        metric("scan_pages_total", "counter", "Data pages of read row groups, read or skipped by the page index.", [
            ("{outcome=\"read\"}", int(s.pagesRead.load(ordering: .relaxed))), ("{outcome=\"skipped\"}", int(s.pagesSkipped.load(ordering: .relaxed))),
        ])
        metric("rows_sent_total", "counter", "Result rows sent to clients.", [("", int(s.rowsSent.load(ordering: .relaxed)))])
        metric("protocol_errors_total", "counter", "Connections closed for breaking the protocol.",
               [("", int(s.protocolErrors.load(ordering: .relaxed)))])
        return out
    }
}
