/// A record that could not be ingested: where it is, why, and its text (for
/// the quarantine file).
public struct RejectedRecord: Sendable {
    public var position: InputPosition
    public var reason: String
    public var text: String

    public init(position: InputPosition, reason: String, text: String) {
        self.position = position
        self.reason = reason
        self.text = text
    }
}

/// Rows parsed from one block of an input, in the table's column order, with
/// the records rejected on the way. Line numbers of rejects are relative to
/// the block until `rebase` makes them absolute (blocks are parsed out of
/// order, so only the consumer knows where a block starts).
final class ParsedChunk: @unchecked Sendable {
    var columns: [ColumnBuffer]
    var rows: Int
    /// Newlines in the block (to number the lines of the next block).
    var lines: Int
    var rejected: [RejectedRecord]

    init(columns: [ColumnBuffer], rows: Int, lines: Int, rejected: [RejectedRecord]) {
        self.columns = columns
        self.rows = rows
        self.lines = lines
        self.rejected = rejected
    }

    /// Makes reject line numbers absolute, given the lines before the block.
    func rebase(linesBefore: Int) {
        for i in rejected.indices { rejected[i].position.line += linesBefore }
    }
}
