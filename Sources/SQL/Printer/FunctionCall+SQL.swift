/// Function calls back to SQL: the SQL-syntax forms for what the parser turned into
/// calls (see Expression.swift), the generic `name([DISTINCT] args [ORDER BY ...])
/// [FILTER (WHERE ...)] [OVER ...]` for the rest.
enum FunctionPrinter {
    /// The text, and the precedence of the operator it prints as (nil: self-delimiting).
    static func sql(_ call: FunctionCall) -> (text: String, precedence: Precedence?) {
        if let special = specialForm(call) { return special }
        return (generic(call), nil)
    }

    /// `name(...)` with every clause, the name quoted where PostgreSQL needs it.
    static func generic(_ call: FunctionCall) -> String {
        var text = functionName(call.name.parts) + "("
        if call.star {
            text += "*"
        } else {
            if call.distinct { text += "DISTINCT " }
            text += ExpressionPrinter.list(call.arguments)
            if !call.orderBy.isEmpty { text += " ORDER BY " + OrderPrinter.list(call.orderBy) }
        }
        text += ")"
        if let filter = call.filter { text += " FILTER (WHERE " + ExpressionPrinter.sql(filter) + ")" }
        if let over = call.over { text += " OVER " + WindowPrinter.reference(over) }
        return text
    }

    static func functionName(_ parts: [String]) -> String {
        guard parts.count > 1 else { return SQLText.quoteFunctionName(parts.first ?? "") }
        return SQLText.quoteIdentifier(parts[0]) + "." + parts.dropFirst().map(SQLText.quoteLabel).joined(separator: ".")
    }

    private static func specialForm(_ call: FunctionCall) -> (text: String, precedence: Precedence?)? {
        guard call.name.parts.count == 1, !call.star, !call.distinct, call.orderBy.isEmpty, call.filter == nil,
              call.over == nil else { return nil }
        let name = call.name.parts[0]
        let arguments = call.arguments
        func operand(_ expression: Expression) -> String { ExpressionPrinter.operand(expression, wrapAtOrBelow: .like) }
        switch name {
        case "current_date", "current_user", "session_user", "user", "current_role", "current_catalog", "system_user",
             "current_schema":
            return arguments.isEmpty ? (name.uppercased(), nil) : nil
        case "current_time", "current_timestamp", "localtime", "localtimestamp":
            if arguments.isEmpty { return (name.uppercased(), nil) }
            if arguments.count == 1, case .literal(.integer(let digits)) = arguments[0] {
                return (name.uppercased() + "(" + digits + ")", nil)
            }
            return nil
        case "coalesce", "greatest", "least", "grouping":
            return arguments.isEmpty ? nil : (name.uppercased() + "(" + ExpressionPrinter.list(arguments) + ")", nil)
        case "nullif":
            return arguments.count == 2 ? ("NULLIF(" + ExpressionPrinter.list(arguments) + ")", nil) : nil
        case "substring", "overlay":
            // Their keyword forms also take plain argument lists.
            return (name + "(" + ExpressionPrinter.list(arguments) + ")", nil)
        case "extract":
            guard arguments.count == 2, case .literal(.string(let field)) = arguments[0] else { return nil }
            let plain = !field.isEmpty && field.utf8.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
            return ("EXTRACT(" + (plain ? field : SQLText.quoteString(field)) + " FROM "
                + ExpressionPrinter.sql(arguments[1]) + ")", nil)
        case "position":
            guard arguments.count == 2 else { return nil }
            return ("POSITION(" + operand(arguments[0]) + " IN " + operand(arguments[1]) + ")", nil)
        case "similar_to":
            guard arguments.count == 2 || arguments.count == 3 else { return nil }
            var text = operand(arguments[0]) + " SIMILAR TO " + operand(arguments[1])
            if arguments.count == 3 { text += " ESCAPE " + operand(arguments[2]) }
            return (text, .like)
        default:
            return nil
        }
    }
}
