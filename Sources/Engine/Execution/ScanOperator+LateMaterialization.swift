import Columnar
import Lake
import Parquet

/// Late materialization: when a scan has filters and also reads columns they do not,
/// a row group is decoded in two steps. First the filters' columns, which pick the
/// rows that pass; then the other columns for those rows only, and none at all when
/// no row passes (a needle-in-a-haystack filter reads the haystack's wide columns
/// only where a needle is). With an offset index, only the pages holding passing
/// rows are decoded in the second step.
extension ScanOperator {
    /// Beyond this many separate runs of passing rows, the second step decodes the rows
    /// the first did and keeps the passing ones: trimming decoded pages to many short
    /// runs costs more than it saves (measured: TPC-H Q1, whose filter passes 98% of the
    /// rows in some 2,400 runs per row group, took 25% longer trimmed).
    static let maximumRuns = 64

    /// The row group read in two steps, already filtered; nil when the scan has no
    /// filters, or no columns outside them (then one step does it all).
    func readLate(_ parquet: ParquetFile, file: DataFile, rowGroup: Int, wanted: [Int], selection: RowRanges?,
                  pageIndex: RowGroupPageIndex?) throws(EngineError) -> RecordBatch? {
        guard context.lateMaterialization, !filterOrder.isEmpty, counters.lateMaterializationPays else { return nil }
        var earlyWanted: [Int] = [], lateWanted: [Int] = []
        for i in filterColumns where scan.columns[i] < fileColumnCount {
            if let k = file.columnIndices[scan.columns[i]], !earlyWanted.contains(k) { earlyWanted.append(k) }
        }
        for (i, c) in scan.columns.enumerated() where c < fileColumnCount && !filterColumns.contains(i) {
            if let k = file.columnIndices[c], !earlyWanted.contains(k), !lateWanted.contains(k) { lateWanted.append(k) }
        }
        guard !earlyWanted.isEmpty, !lateWanted.isEmpty else { return nil }

        // Step 1: the filters' columns, with each row's number riding along through the filters.
        let first = try readColumns(parquet, file: file, rowGroup: rowGroup, columns: earlyWanted, rows: selection, pageIndex: pageIndex)
        let n = first.rowCount
        var columns = filterColumns.map { outputColumn($0, file: file, decoded: first, wanted: earlyWanted, count: n) }
        columns.append(Column(type: .int32, count: n, validity: nil, storage: .int32(Array(0..<Int32(n)))))
        let fields = filterColumns.map { scanFields[$0] } + [Field("?row", .int32, nullable: false)]
        var passing = RecordBatch(fields: fields, columns: columns, rowCount: n)
        for f in earlyFilters {
            passing = passing.filter(ExpressionEvaluator.truthMask(try context.evaluator.evaluate(f, passing)))
            if passing.rowCount == 0 { break }
        }
        let kept = passing.rowCount
        if kept == 0 {
            counters.lateRowGroup(empty: true, saved: true)
            return RecordBatch.empty(scanFields)
        }
        guard case let .int32(rowNumbers) = passing.columns[filterColumns.count].storage else { return nil }

        // Step 2: the other columns, for the passing rows.
        let runs = Self.runs(of: rowNumbers, within: selection)
        counters.lateRowGroup(empty: false, saved: runs.count <= Self.maximumRuns)
        let late: RecordBatch
        if runs.count <= Self.maximumRuns {
            late = try readColumns(parquet, file: file, rowGroup: rowGroup, columns: lateWanted, rows: RowRanges(runs), pageIndex: pageIndex)
        } else {
            late = try readColumns(parquet, file: file, rowGroup: rowGroup, columns: lateWanted, rows: selection, pageIndex: pageIndex)
                .take(rowNumbers)
        }
        var out: [Column] = []
        for i in scan.columns.indices {
            if let k = filterColumns.firstIndex(of: i) {
                out.append(passing.columns[k])
            } else {
                out.append(outputColumn(i, file: file, decoded: late, wanted: lateWanted, count: kept))
            }
        }
        return RecordBatch(fields: scanFields, columns: out, rowCount: kept)
    }

    /// The row group's row numbers of the decoded rows `positions` (ascending), as runs of
    /// consecutive rows: decoded row k is the k-th row of `selection` (of the group when nil).
    static func runs(of positions: [Int32], within selection: RowRanges?) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let ranges = selection?.ranges
        var range = 0, before = 0  // the selection range holding the cursor, and the decoded rows before it
        var start = -1, end = -1  // the run being extended
        for p in positions {
            var row = Int(p)
            if let ranges {
                while Int(p) - before >= ranges[range].count {
                    before += ranges[range].count
                    range += 1
                }
                row = ranges[range].lowerBound + Int(p) - before
            }
            if row == end {
                end += 1
            } else {
                if start >= 0 { out.append(start..<end) }
                start = row
                end = row + 1
            }
        }
        if start >= 0 { out.append(start..<end) }
        return out
    }
}
