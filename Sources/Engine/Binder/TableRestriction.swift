import SQL

/// What one principal may read of one table, as the access policy decides it. The
/// binder applies it where the table is bound, before optimization: the row filter
/// becomes a predicate over the scan, only `columns` exist in the query's scope (a
/// hidden column is "does not exist", exactly as a missing one), and a column with
/// an expression reads as that expression (a mask, or NULL in cells no filter shows).
public struct TableRestriction: Sendable, Equatable {
    /// Visible columns, in the table's order.
    public var columns: [String]
    /// Rows the principal may see; nil: every row. Over the table's own columns.
    public var rowFilter: Expression?
    /// Replacement values of some visible columns, over the table's own columns.
    public var columnExpressions: [String: Expression]
    /// Names of the data filters and masks applied, for the audit log.
    public var policies: [String]

    public init(columns: [String], rowFilter: Expression? = nil, columnExpressions: [String: Expression] = [:], policies: [String] = []) {
        self.columns = columns
        self.rowFilter = rowFilter
        self.columnExpressions = columnExpressions
        self.policies = policies
    }
}

/// How a principal may read a table: as it is, or through a restriction.
public enum TableAccess: Sendable, Equatable {
    case unrestricted
    case restricted(TableRestriction)
}
