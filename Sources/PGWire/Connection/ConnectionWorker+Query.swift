import Columnar
import Engine
import NIOCore
import SQL

/// The simple query protocol and what the extended protocol shares with it:
/// admission, statement timeouts, transaction status, streaming rows.
extension ConnectionWorker {
    func simpleQuery(_ sql: String) {
        defer {
            send(.readyForQuery(transactionStatus))
            flush()
        }
        guard let session else { return }
        if answerCached(sql, session: session) { return }
        let statements: [Statement]
        do {
            statements = try Parser.parse(sql)
        } catch {
            return failed(EngineError("42601", error.message, position: error.position))
        }
        if statements.isEmpty { return send(.emptyQueryResponse) }
        for statement in statements {
            do {
                // A lone statement keeps its text, so the result cache can recognise it before parsing.
                let prepared = PreparedStatement(unparameterized: statement, sql: statements.count == 1 ? sql : "")
                let portal = Portal(prepared: prepared, parameters: [], resultFormats: [])
                try run(portal, maxRows: 0, describe: true, session: session)
            } catch {
                return failed(error)
            }
        }
    }

    /// Answers a query text the result cache holds without parsing it: the text was one
    /// query when its result was cached. False (nothing sent) when it is not cached, the
    /// transaction block has failed, or no admission slot is free right now.
    private func answerCached(_ sql: String, session: Session) -> Bool {
        guard transactionStatus != .failed, session.mayAnswerFromCache(sql),
              server.admission.tryAcquire(user: principal.user) else { return false }
        defer { server.admission.release(user: principal.user) }
        let started = ContinuousClock.now
        guard let cursor = session.cachedCursor(text: sql, parameters: []) else { return false }
        session.cancellation.reset()  // a cancel aimed at an earlier statement
        let encoder = ResultEncoder(fields: cursor.fields, requested: [])
        if !cursor.fields.isEmpty { send(encoder.rowDescription) }
        var rows = 0
        do {
            while let batch = try cursor.next() {
                encoder.writeRows(batch, 0..<batch.rowCount, into: &out)
                rows += batch.rowCount
                flushIfLarge()
            }
        } catch {
            failed(error)
            return true
        }
        send(.commandComplete(cursor.commandTag))
        server.statistics.rowsSent.add(rows, ordering: .relaxed)
        server.statistics.queriesSucceeded.add(1, ordering: .relaxed)
        if server.configuration.queryLog {
            let elapsed = ContinuousClock.now - started
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            server.logger.info("statement", metadata: [
                "user": "\(principal.user)", "pid": "\(processID)", "outcome": "ok", "duration_ms": "\((ms * 1000).rounded() / 1000)",
                "rows": "\(rows)", "cache": "hit", "sql": "\(sql.count > 500 ? String(sql.prefix(500)) + "..." : sql)",
            ])
        }
        return true
    }

    /// Reports an error; inside a transaction block, the block is now failed.
    func failed(_ error: EngineError) {
        if error.isNotCached { needsWorker = true; return }
        sendError(error)
        server.statistics.queriesFailed.add(1, ordering: .relaxed)
        if transactionStatus == .inTransaction { transactionStatus = .failed }
    }

    /// Runs (or continues) a portal: admission, timeout, rows up to `maxRows`
    /// (0: all), then CommandComplete or PortalSuspended.
    func run(_ portal: Portal, maxRows: Int, describe: Bool, session: Session) throws(EngineError) {
        guard let statement = portal.prepared.statement else { return send(.emptyQueryResponse) }
        if transactionStatus == .failed, !Self.endsTransaction(statement) {
            throw EngineError("25P02", "current transaction is aborted, commands ignored until end of transaction block")
        }
        if portal.isFinished {
            send(.commandComplete(portal.cursor?.commandTag ?? "SELECT 0"))
            return
        }
        if onEventLoop {
            // The event loop never waits and never works: a cached query, or the worker's job.
            guard case .query = statement, portal.cursor?.fromCache ?? true,
                  server.admission.tryAcquire(user: principal.user) else { throw .notCached }
            session.cancellation.reset()
        } else {
            // Reset before queueing: a cancel that arrives while the statement waits must count.
            session.cancellation.reset()
            try server.admission.acquire(user: principal.user, cancellation: session.cancellation)
        }
        defer { server.admission.release(user: principal.user) }
        let started = ContinuousClock.now
        // nil: handed to the worker (logged when it runs the statement).
        var outcome: String? = "error"
        defer { if let outcome { logStatement(statement, portal: portal, started: started, outcome: outcome) } }
        let timeout = ServerInfo.statementTimeout(session, default: server.configuration.statementTimeoutMilliseconds)
        let flag = session.cancellation
        let timer = timeout > 0 ? channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout))) { flag.cancel(.statementTimeout) } : nil
        defer { timer?.cancel() }
        if Self.isConnectionStatement(statement) {
            try runConnectionStatement(statement, formats: portal.resultFormats, describe: describe, session: session)
            server.statistics.queriesSucceeded.add(1, ordering: .relaxed)
            portal.isFinished = true
            return
        }

        if portal.cursor == nil {
            let cursor: QueryCursor
            do {
                cursor = try session.open(portal.prepared, parameters: portal.parameters)
            } catch {
                if error.isNotCached { outcome = nil }
                throw error
            }
            portal.cursor = cursor
            if describe || portal.prepared.fields.isEmpty {
                portal.encoder = ResultEncoder(fields: cursor.fields, requested: portal.resultFormats)
            }
            if describe, !cursor.fields.isEmpty { send(portal.encoder.rowDescription) }
            updateTransactionStatus(after: statement)
            reportSetting(after: statement, session: session)
        }
        let suspended = try sendRows(portal, maxRows: maxRows)
        outcome = suspended ? "suspended" : "ok"
        if suspended {
            send(.portalSuspended)
        } else {
            server.statistics.queriesSucceeded.add(1, ordering: .relaxed)
            send(.commandComplete(portal.cursor!.commandTag))
        }
    }

    /// The query log's line and the scan counters of /metrics, once per statement (or per
    /// Execute of a portal fetched in parts).
    private func logStatement(_ statement: Statement, portal: Portal, started: ContinuousClock.Instant, outcome: String) {
        let totals = portal.cursor?.scanTotals ?? ScanTotals()
        let s = server.statistics
        s.filesRead.add(totals.filesRead, ordering: .relaxed)
        s.filesSkipped.add(totals.filesSkipped, ordering: .relaxed)
        s.rowGroupsRead.add(totals.rowGroupsRead, ordering: .relaxed)
        s.rowGroupsSkipped.add(totals.rowGroupsSkipped, ordering: .relaxed)
        s.pagesRead.add(totals.pagesRead, ordering: .relaxed)
        s.pagesSkipped.add(totals.pagesSkipped, ordering: .relaxed)
        guard server.configuration.queryLog else { return }
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let text = portal.prepared.sql.isEmpty ? statement.sql : portal.prepared.sql
        server.logger.info("statement", metadata: [
            "user": "\(principal.user)", "pid": "\(processID)", "outcome": "\(outcome)",
            "duration_ms": "\((ms * 1000).rounded() / 1000)", "rows": "\(portal.cursor?.rowsReturned ?? 0)",
            "cache": "\(portal.cursor?.fromCache == true ? "hit" : "miss")",
            "files": "\(totals.filesRead) read \(totals.filesSkipped) skipped",
            "row_groups": "\(totals.rowGroupsRead) read \(totals.rowGroupsSkipped) skipped",
            "pages": "\(totals.pagesRead) read \(totals.pagesSkipped) skipped",
            "sql": "\(text.count > 500 ? String(text.prefix(500)) + "..." : text)",
        ])
    }

    /// Sends rows of the portal until `maxRows` (0: all); true when rows remain.
    private func sendRows(_ portal: Portal, maxRows: Int) throws(EngineError) -> Bool {
        guard let cursor = portal.cursor else { return false }
        var sent = 0
        defer { server.statistics.rowsSent.add(sent, ordering: .relaxed) }
        while maxRows == 0 || sent < maxRows {
            if portal.pending == nil {
                guard let batch = try cursor.next() else {
                    portal.isFinished = true
                    return false
                }
                portal.pending = batch
                portal.pendingOffset = 0
            }
            let batch = portal.pending!
            let n = min(batch.rowCount - portal.pendingOffset, maxRows == 0 ? Int.max : maxRows - sent)
            portal.encoder.writeRows(batch, portal.pendingOffset..<(portal.pendingOffset + n), into: &out)
            sent += n
            portal.pendingOffset += n
            if portal.pendingOffset == batch.rowCount { portal.pending = nil }
            flushIfLarge()
        }
        if portal.pending != nil { return true }
        if let batch = try cursor.next() {
            portal.pending = batch
            portal.pendingOffset = 0
            return true
        }
        portal.isFinished = true
        return false
    }

    /// Settings PostgreSQL reports to the client whenever they change (GUC_REPORT), by
    /// their lower-case name, with the spelling clients expect.
    static let reportedSettings: [String: String] = [
        "application_name": "application_name", "datestyle": "DateStyle", "intervalstyle": "IntervalStyle",
        "timezone": "TimeZone", "client_encoding": "client_encoding", "standard_conforming_strings": "standard_conforming_strings",
    ]

    /// After SET or RESET of a reported setting: ParameterStatus with its new value.
    private func reportSetting(after statement: Statement, session: Session) {
        let name: String
        switch statement {
        case let .set(n, _), let .reset(n): name = n
        default: return
        }
        guard let reported = Self.reportedSettings[name], let result = try? session.execute(.show(name: name)),
              let batch = result.batches.first, let column = batch.columns.first, let value = ValueText.format(column, 0) else { return }
        send(.parameterStatus(name: reported, value: value))
    }

    private func updateTransactionStatus(after statement: Statement) {
        if case .savepoint(.rollbackTo, _) = statement, transactionStatus == .failed {
            transactionStatus = .inTransaction  // rolling back to a savepoint recovers the block
            return
        }
        guard case let .transaction(command) = statement else { return }
        switch command {
        case .begin:
            if transactionStatus == .inTransaction {
                send(.noticeResponse(.init(severity: "WARNING", sqlState: "25001", message: "there is already a transaction in progress")))
            }
            transactionStatus = .inTransaction
        case .commit, .rollback:
            if transactionStatus == .idle {
                send(.noticeResponse(.init(severity: "WARNING", sqlState: "25P01", message: "there is no transaction in progress")))
            }
            transactionStatus = .idle
        }
    }

    /// Statements allowed in a failed transaction block: the ones that end or repair it.
    static func endsTransaction(_ statement: Statement) -> Bool {
        if case let .transaction(command) = statement { return command != .begin }
        if case .savepoint(.rollbackTo, _) = statement { return true }
        return false
    }
}

extension PreparedStatement {
    /// A statement of a simple query: no parameters; its fields come from its cursor.
    convenience init(unparameterized statement: Statement, sql: String) {
        self.init(sql: sql, statement: statement, parameterTypes: [], declaredParameterOIDs: [], fields: [])
    }
}
