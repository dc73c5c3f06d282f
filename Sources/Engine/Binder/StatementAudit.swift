/// One statement as the audit log records it: who ran it, what it read (tables and the
/// columns the plan reads), which filters and masks applied, and the decision.
public struct StatementAudit: Sendable {
    public struct TableRead: Sendable, Hashable {
        public var table: String
        public var columns: [String]
    }

    public var principal: Principal
    public var statement: String
    public var tables: [TableRead]
    public var policies: [String]
    /// nil: allowed; otherwise the SQLSTATE and message the client got.
    public var denial: EngineError?

    public init(principal: Principal, statement: String, tables: [TableRead] = [], policies: [String] = [], denial: EngineError? = nil) {
        self.principal = principal
        self.statement = statement
        self.tables = tables
        self.policies = policies
        self.denial = denial
    }
}
