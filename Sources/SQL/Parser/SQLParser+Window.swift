/// Window definitions (gram.y's over_clause and window_specification):
///
///     OVER name | OVER ( [name] [PARTITION BY ...] [ORDER BY ...] [frame] )
///     frame: {ROWS|RANGE|GROUPS} {bound | BETWEEN bound AND bound} [EXCLUDE ...]
///     bound: UNBOUNDED PRECEDING | n PRECEDING | CURRENT ROW | n FOLLOWING | UNBOUNDED FOLLOWING
extension SQLParser {
    mutating func parseOver() throws(SQLSyntaxError) -> WindowSpec {
        if isSymbol("(") { return try parseWindowSpecification() }
        return WindowSpec(baseName: try parseColId(expected: "a window name"))
    }

    mutating func parseWindowSpecification() throws(SQLSyntaxError) -> WindowSpec {
        try expectSymbol("(")
        var spec = WindowSpec()
        let clauseStart = (isWord("partition") || isWord("order")) && isWord("by", at: 1)
        if !clauseStart, !isFrameStart(), canNameColumn(current) {
            spec.baseName = current.text
            advance()
        }
        if isWord("partition") {
            advance()
            try expectWord("by")
            spec.partitionBy = try parseExpressionList()
        }
        if isWord("order") {
            spec.orderBy = try parseOrderBy()
        }
        if isFrameStart() {
            spec.frame = try parseFrame()
        }
        try expectSymbol(")")
        return spec
    }

    private func isFrameStart() -> Bool {
        isWord("rows") || isWord("range") || isWord("groups")
    }

    private mutating func parseFrame() throws(SQLSyntaxError) -> WindowFrame {
        let frameToken = current
        let mode: WindowFrame.Mode = isWord("rows") ? .rows : isWord("range") ? .range : .groups
        advance()
        var frame: WindowFrame
        if acceptWord("between") {
            let start = try parseFrameBound()
            try expectWord("and")
            frame = WindowFrame(mode: mode, start: start, end: try parseFrameBound())
        } else {
            frame = WindowFrame(mode: mode, start: try parseFrameBound())
        }
        if acceptWord("exclude") {
            if isWord("current"), isWord("row", at: 1) {
                advance()
                advance()
                frame.exclusion = .currentRow
            } else if acceptWord("group") {
                frame.exclusion = .group
            } else if acceptWord("ties") {
                frame.exclusion = .ties
            } else if isWord("no"), isWord("others", at: 1) {
                advance()
                advance()
                frame.exclusion = .noOthers
            } else {
                throw syntaxError(expected: ["CURRENT ROW", "GROUP", "TIES", "NO OTHERS"])
            }
        }
        if let message = Self.frameError(frame) { throw error(message, at: frameToken) }
        return frame
    }

    private mutating func parseFrameBound() throws(SQLSyntaxError) -> WindowFrame.Bound {
        if isWord("unbounded"), isWord("preceding", at: 1) || isWord("following", at: 1) {
            advance()
            let preceding = isWord("preceding")
            advance()
            return preceding ? .unboundedPreceding : .unboundedFollowing
        }
        if isWord("current"), isWord("row", at: 1) {
            advance()
            advance()
            return .currentRow
        }
        let offset = try parseExpression()
        if acceptWord("preceding") { return .preceding(offset) }
        if acceptWord("following") { return .following(offset) }
        throw syntaxError(expected: ["PRECEDING", "FOLLOWING"])
    }

    /// PostgreSQL's checks in gram.y's frame_extent, in its order and with its messages.
    private static func frameError(_ frame: WindowFrame) -> String? {
        if case .unboundedFollowing = frame.start { return "frame start cannot be UNBOUNDED FOLLOWING" }
        guard let end = frame.end else {
            if case .following = frame.start { return "frame starting from following row cannot end with current row" }
            return nil
        }
        if case .unboundedPreceding = end { return "frame end cannot be UNBOUNDED PRECEDING" }
        switch (frame.start, end) {
        case (.currentRow, .preceding):
            return "frame starting from current row cannot have preceding rows"
        case (.following, .preceding), (.following, .currentRow):
            return "frame starting from following row cannot have preceding rows"
        default:
            return nil
        }
    }
}
