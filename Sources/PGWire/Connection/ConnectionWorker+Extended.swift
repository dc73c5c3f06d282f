import Engine
import NIOCore

/// The extended query protocol: Parse, Bind, Describe, Execute (Close and
/// Sync are in the dispatcher). Errors go through `extended`, which makes the
/// connection skip messages until the next Sync, as the protocol requires.
extension ConnectionWorker {
    func parse(name: String, query: String, types: [Int32]) throws(EngineError) {
        guard let session else { return }
        if !name.isEmpty, statements[name] != nil {
            throw EngineError("42P05", "prepared statement \"\(name)\" already exists")
        }
        var prepared = try session.prepare(query, parameterTypes: types)
        if let statement = prepared.statement, let fields = connectionStatementFields(statement) {
            // FETCH returns its cursor's columns, which only the connection knows.
            prepared = PreparedStatement(sql: query, statement: statement, parameterTypes: prepared.parameterTypes,
                                         declaredParameterOIDs: types, fields: fields)
        }
        statements[name] = prepared
        send(.parseComplete)
    }

    func bind(_ bind: FrontendMessage.Bind) throws(EngineError) {
        guard let prepared = statements[bind.statement] else {
            throw EngineError("26000", "prepared statement \"\(bind.statement)\" does not exist")
        }
        if !bind.portal.isEmpty, portals[bind.portal] != nil {
            throw EngineError("42P03", "cursor \"\(bind.portal)\" already exists")
        }
        let count = bind.parameters.count
        guard bind.parameterFormats.count <= 1 || bind.parameterFormats.count == count else {
            throw EngineError("08P01", "bind message has \(bind.parameterFormats.count) parameter formats but \(count) parameters")
        }
        guard count == prepared.parameterTypes.count else {
            throw EngineError("08P01", "bind message supplies \(count) parameters, but prepared statement \"\(bind.statement)\" requires \(prepared.parameterTypes.count)")
        }
        for format in bind.parameterFormats + bind.resultFormats where format != 0 && format != 1 {
            throw EngineError("22023", "unsupported format code: \(format)")
        }
        let oids = prepared.parameterOIDs
        var values: [ParameterValue] = []
        for (i, bytes) in bind.parameters.enumerated() {
            guard let bytes else {
                values.append(.null)
                continue
            }
            let format = bind.parameterFormats.isEmpty ? 0 : bind.parameterFormats[bind.parameterFormats.count == 1 ? 0 : i]
            do {
                values.append(.text(format == 1 ? try ParameterText.decode(bytes, oid: oids[i]) : try ParameterText.utf8(bytes)))
            } catch {
                throw EngineError(format == 1 ? "22P03" : "22021", format == 1
                    ? "incorrect binary data format in bind parameter \(i + 1): \(error.message)"
                    : "invalid byte sequence for encoding \"UTF8\" in bind parameter \(i + 1)")
            }
        }
        portals[bind.portal] = Portal(prepared: prepared, parameters: values, resultFormats: bind.resultFormats)
        send(.bindComplete)
    }

    func describe(_ kind: FrontendMessage.PortalOrStatement, _ name: String) throws(EngineError) {
        switch kind {
        case .statement:
            guard let prepared = statements[name] else { throw EngineError("26000", "prepared statement \"\(name)\" does not exist") }
            send(.parameterDescription(prepared.parameterOIDs))
            send(prepared.fields.isEmpty ? .noData : ResultEncoder(fields: prepared.fields, requested: []).rowDescription)
        case .portal:
            guard let portal = portals[name] else { throw EngineError("34000", "portal \"\(name)\" does not exist") }
            send(portal.prepared.fields.isEmpty ? .noData : portal.encoder.rowDescription)
        }
    }

    func execute(portal name: String, maxRows: Int) throws(EngineError) {
        guard let session else { return }
        guard let portal = portals[name] else { throw EngineError("34000", "portal \"\(name)\" does not exist") }
        do {
            try run(portal, maxRows: max(0, maxRows), describe: false, session: session)
        } catch {
            if error.isNotCached { throw error }  // handed to the worker, not failed
            portals[name] = nil
            server.statistics.queriesFailed.add(1, ordering: .relaxed)
            throw error
        }
    }
}
