import Columnar
import SQL

/// Set-returning functions over arrays in a select list, as catalog queries use them
/// (SQLAlchemy: `SELECT unnest(i.indkey) AS attnum, generate_subscripts(i.indkey, 1) AS ord
/// FROM pg_index i`): each input row is repeated once per array position by joining a series
/// of positions, and the calls become that position's element and number. Several calls in one
/// select list advance together, as in PostgreSQL (the shorter arrays give NULLs).
///
/// Arrays are catalog arrays (`ArrayText`), so the series stops at `maximumLength`, PostgreSQL's
/// limit on a table's columns, which bounds every array the catalog holds.
enum SetReturningFunctions {
    static let maximumLength = 1600
    static let positionTable = "?positions"
    static let positionColumn = "?position"

    /// The SELECT with its top-level unnest/generate_subscripts calls expanded; itself when it has none.
    static func expand(_ select: Select) -> Select {
        var arrays: [Expression] = []
        var items = select.items
        for (k, item) in items.enumerated() {
            let position = Expression.column(QualifiedName([positionTable, positionColumn]))
            // information_schema._pg_expandarray(a): records (x, n) of element and position
            // (pgJDBC's getPrimaryKeys), or one of their fields.
            if case let .expression(e, alias) = item, let (array, field) = expandArrayCall(e) {
                arrays.append(array)
                let element = Expression.element(array, position)
                let expression: Expression = switch field {
                case "x": element
                case "n": position
                default: .function(.call(expandArrayRecord, [element, position]))
                }
                items[k] = .expression(expression, alias: alias ?? field ?? "_pg_expandarray")
                continue
            }
            guard case let .expression(e, alias) = item, case let .function(call) = e, call.over == nil else { continue }
            switch (call.name.name, call.arguments.count) {
            case ("unnest", 1):
                arrays.append(call.arguments[0])
                items[k] = .expression(.element(call.arguments[0], position), alias: alias ?? "unnest")
            case ("generate_subscripts", 2):
                let array = call.arguments[0]
                arrays.append(array)
                let within = Expression.binary(.lessOrEqual, position, .function(.call("cardinality", [array])))
                items[k] = .expression(.caseWhen(operand: nil, branches: [WhenClause(within, position)], otherwise: nil),
                                       alias: alias ?? "generate_subscripts")
            default:
                continue
            }
        }
        guard !arrays.isEmpty else { return select }
        var expanded = select
        expanded.items = items
        let series = TableReference.function(.call("generate_series", [.literal(.integer("1")), .literal(.integer(String(maximumLength)))]),
                                             alias: TableAlias(positionTable, columns: [positionColumn]))
        expanded.from = select.from.isEmpty ? [series] : [.join(Join(.cross, joined(select.from), series, .none))]
        let lengths = arrays.map { Expression.function(.call("cardinality", [$0])) }
        let longest = lengths.count == 1 ? lengths[0] : .function(.call("greatest", lengths))
        let bound = Expression.binary(.lessOrEqual, .column(QualifiedName([positionTable, positionColumn])), longest)
        expanded.whereClause = select.whereClause.map { .binary(.and, .row([$0]), bound) } ?? bound
        return expanded
    }

    /// The record `_pg_expandarray` returns: fields x (the element) and n (its position).
    static let expandArrayRecord = "?expandarray_record"

    /// `_pg_expandarray(a)` or `(_pg_expandarray(a)).field`: the array and the field (nil: the record).
    private static func expandArrayCall(_ e: Expression) -> (Expression, String?)? {
        var expression = e
        var field: String?
        if case let .field(inner, name) = e {
            expression = inner
            field = name
        }
        guard case let .function(call) = expression, call.name.name == "_pg_expandarray", call.arguments.count == 1,
              call.over == nil else { return nil }
        return (call.arguments[0], field)
    }

    private static func joined(_ items: [TableReference]) -> TableReference {
        items.dropFirst().reduce(items[0]) { .join(Join(.cross, $0, $1, .none)) }
    }
}
