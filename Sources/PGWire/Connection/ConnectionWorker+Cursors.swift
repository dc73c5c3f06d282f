import Columnar
import Engine
import NIOCore
import SQL

/// Statements that live in the connection rather than the engine: SQL cursors
/// (DECLARE / FETCH / MOVE / CLOSE, which are named portals, as in PostgreSQL)
/// and COPY ... TO STDOUT.
extension ConnectionWorker {
    static func isConnectionStatement(_ statement: Statement) -> Bool {
        switch statement {
        case .copyTo, .declareCursor, .fetchCursor, .closeCursor: return true
        default: return false
        }
    }

    /// Fields a connection statement returns, for Describe (FETCH returns its cursor's rows).
    func connectionStatementFields(_ statement: Statement) -> [Field]? {
        guard case let .fetchCursor(fetch) = statement, !fetch.move else { return nil }
        return portals[fetch.name]?.encoder.fields
    }

    /// Runs one of them; `formats` are the result formats of the portal running it.
    func runConnectionStatement(_ statement: Statement, formats: [Int16], describe: Bool, session: Session) throws(EngineError) {
        switch statement {
        case let .declareCursor(declare):
            if portals[declare.name] != nil { throw EngineError("42P03", "cursor \"\(declare.name)\" already exists") }
            let cursor = try session.open(.query(declare.query))
            let prepared = PreparedStatement(sql: statement.sql, statement: .query(declare.query), parameterTypes: [],
                                             declaredParameterOIDs: [], fields: cursor.fields)
            let portal = Portal(prepared: prepared, parameters: [], resultFormats: declare.binary ? [1] : [])
            portal.cursor = cursor
            portal.holdsPastTransaction = declare.hold || transactionStatus == .idle
            portals[declare.name] = portal
            send(.commandComplete("DECLARE CURSOR"))
        case let .fetchCursor(fetch):
            guard let portal = portals[fetch.name], portal.cursor != nil else {
                throw EngineError("34000", "cursor \"\(fetch.name)\" does not exist")
            }
            let encoder = ResultEncoder(fields: portal.encoder.fields, requested: portal.resultFormats == [1] ? [1] : formats)
            if describe, !fetch.move { send(encoder.rowDescription) }
            var sent = 0
            let limit = fetch.count ?? Int.max
            while sent < limit, !portal.isFinished {
                if portal.pending == nil {
                    guard let batch = try portal.cursor!.next() else {
                        portal.isFinished = true
                        break
                    }
                    portal.pending = batch
                    portal.pendingOffset = 0
                }
                let batch = portal.pending!
                let n = min(batch.rowCount - portal.pendingOffset, limit - sent)
                if !fetch.move { encoder.writeRows(batch, portal.pendingOffset..<(portal.pendingOffset + n), into: &out) }
                sent += n
                portal.pendingOffset += n
                if portal.pendingOffset == batch.rowCount { portal.pending = nil }
                flushIfLarge()
            }
            server.statistics.rowsSent.add(fetch.move ? 0 : sent, ordering: .relaxed)
            send(.commandComplete((fetch.move ? "MOVE " : "FETCH ") + String(sent)))
        case let .closeCursor(name):
            if let name {
                guard portals.removeValue(forKey: name) != nil else { throw EngineError("34000", "cursor \"\(name)\" does not exist") }
            } else {
                portals = portals.filter { $0.key.isEmpty }
            }
            send(.commandComplete("CLOSE CURSOR"))
        case let .copyTo(copy):
            try runCopy(copy, session: session)
        default:
            break
        }
    }

    /// COPY ... TO STDOUT: CopyOutResponse, one CopyData per row, CopyDone, "COPY n".
    private func runCopy(_ copy: CopyTo, session: Session) throws(EngineError) {
        guard copy.format != .binary else { throw .featureNotSupported("COPY in binary format") }
        let query: Query
        switch copy.source {
        case let .query(q): query = q
        case let .table(name, columns):
            let list = columns.isEmpty ? "*" : columns.map(SQLText.quoteIdentifier).joined(separator: ", ")
            do {
                guard case let .query(q) = try Parser.parseStatement("SELECT \(list) FROM \(SQLText.quoteName(name.parts))") else { return }
                query = q
            } catch {
                throw EngineError("42601", error.message)
            }
        }
        let cursor = try session.open(.query(query))
        let writer = CopyTextWriter(copy)
        send(.copyOutResponse(binary: false, columnFormats: Array(repeating: 0, count: cursor.fields.count)))
        if copy.header {
            out.writeMessage(UInt8(ascii: "d")) { writer.writeHeader(cursor.fields.map(\.name), into: &$0) }
        }
        var rows = 0
        var scratch: [UInt8] = []
        while let batch = try cursor.next() {
            for row in 0..<batch.rowCount {
                out.writeMessage(UInt8(ascii: "d")) { writer.writeRow(batch, row, scratch: &scratch, into: &$0) }
            }
            rows += batch.rowCount
            flushIfLarge()
        }
        server.statistics.rowsSent.add(rows, ordering: .relaxed)
        send(.copyDone)
        send(.commandComplete("COPY \(rows)"))
    }
}
