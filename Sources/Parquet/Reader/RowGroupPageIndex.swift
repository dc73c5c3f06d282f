/// The page index (ColumnIndex and OffsetIndex) of some column chunks of one
/// row group, loaded together: writers put a file's column indexes side by
/// side, then its offset indexes, so the wanted entries are read in a few
/// coalesced reads rather than two per chunk.
public struct RowGroupPageIndex: Sendable {
    public let rowGroup: Int
    /// Per leaf: its chunk's column index, when the file has one.
    public var columnIndexes: [Int: ColumnIndex] = [:]
    /// Per leaf: its chunk's offset index, when the file has one.
    public var offsetIndexes: [Int: OffsetIndex] = [:]

    public init(rowGroup: Int) { self.rowGroup = rowGroup }
}

/// One data page of a column chunk as the page index describes it: the rows it
/// holds and its statistics (`rowCount` = the page's rows).
public struct PageStatistics: Sendable, Equatable {
    public var rows: Range<Int>
    public var statistics: PruningStatistics
}

extension ParquetFile {
    /// Reads the column indexes of `columnIndexLeaves` and the offset indexes of
    /// `offsetIndexLeaves` in row group `rowGroup` (absent ones stay absent).
    /// Ranges closer than 64 KiB are read at once.
    public func pageIndex(rowGroup: Int, columnIndexLeaves: Set<Int>, offsetIndexLeaves: Set<Int>) throws(ParquetError) -> RowGroupPageIndex {
        guard rowGroup >= 0, rowGroup < metadata.rowGroups.count else {
            throw ParquetError.corrupt("row group \(rowGroup) does not exist (the file has \(metadata.rowGroups.count))")
        }
        let chunks = metadata.rowGroups[rowGroup].columns
        enum Kind { case column, offset }
        var wanted: [(offset: Int, length: Int, leaf: Int, kind: Kind)] = []
        func add(_ leaf: Int, _ offset: Int64?, _ length: Int32?, _ kind: Kind) {
            guard leaf >= 0, leaf < chunks.count, let offset, let length, offset >= 4, length > 0,
                  offset + Int64(length) <= Int64(source.size) else { return }
            wanted.append((Int(offset), Int(length), leaf, kind))
        }
        for leaf in columnIndexLeaves where leaf < chunks.count {
            add(leaf, chunks[leaf].columnIndexOffset, chunks[leaf].columnIndexLength, .column)
        }
        for leaf in offsetIndexLeaves where leaf < chunks.count {
            add(leaf, chunks[leaf].offsetIndexOffset, chunks[leaf].offsetIndexLength, .offset)
        }
        wanted.sort { $0.offset < $1.offset }
        var index = RowGroupPageIndex(rowGroup: rowGroup)
        var i = 0
        while i < wanted.count {
            var j = i + 1
            var end = wanted[i].offset + wanted[i].length
            while j < wanted.count && wanted[j].offset <= end + (64 << 10) {
                end = Swift.max(end, wanted[j].offset + wanted[j].length)
                j += 1
            }
            let start = wanted[i].offset
            let bytes = try source.read(offset: start, length: end - start)
            try bytes.withParquetBytes { (raw) throws(ParquetError) in
                for w in wanted[i..<j] {
                    var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: raw[(w.offset - start)..<(w.offset - start + w.length)]))
                    do throws(ParquetError) {
                        switch w.kind {
                        case .column: index.columnIndexes[w.leaf] = try ColumnIndex(from: &reader)
                        case .offset: index.offsetIndexes[w.leaf] = try OffsetIndex(from: &reader)
                        }
                    } catch {
                        throw error.context("\(w.kind == .column ? "column" : "offset") index of column '\(schema.leaves[w.leaf].dottedPath)', row group \(rowGroup)")
                    }
                }
            }
            i = j
        }
        return index
    }

    /// Each data page's rows and statistics for one flat leaf of a row group, from
    /// its column and offset indexes; nil when either is missing, they disagree,
    /// or the leaf is repeated (its pages then do not map to rows one to one).
    public func pageStatistics(_ index: RowGroupPageIndex, leaf: Int) -> [PageStatistics]? {
        guard leaf >= 0, leaf < schema.leaves.count, schema.leaves[leaf].maxRepetitionLevel == 0,
              let ci = index.columnIndexes[leaf], let oi = index.offsetIndexes[leaf],
              let rows = pageRows(oi, rowGroup: index.rowGroup) else { return nil }
        let n = rows.count
        guard ci.nullPages.count == n, ci.minValues.count == n, ci.maxValues.count == n,
              ci.nullCounts.map({ $0.count == n }) ?? true else { return nil }
        let column = schema.leaves[leaf]
        var out: [PageStatistics] = []
        out.reserveCapacity(n)
        for p in 0..<n {
            let pageRowCount = Int64(rows[p].count)
            var stats = PruningStatistics(min: nil, max: nil, nullCount: ci.nullCounts?[p], rowCount: pageRowCount)
            if ci.nullPages[p] {
                // An all-null page's bounds are empty placeholders.
                stats.nullCount = pageRowCount
            } else {
                stats.min = column.statisticsValue(ci.minValues[p])
                stats.max = column.statisticsValue(ci.maxValues[p])
            }
            out.append(PageStatistics(rows: rows[p], statistics: stats))
        }
        return out
    }

    /// The rows of each page of an offset index, checked: the first page starts at row 0,
    /// first rows increase and stay inside the row group. Nil when they do not.
    func pageRows(_ oi: OffsetIndex, rowGroup: Int) -> [Range<Int>]? {
        let locations = oi.pageLocations
        let total = metadata.rowGroups[rowGroup].numRows
        guard let first = locations.first, first.firstRowIndex == 0, total >= 0 else { return nil }
        var out: [Range<Int>] = []
        out.reserveCapacity(locations.count)
        for (p, location) in locations.enumerated() {
            let end = p + 1 < locations.count ? locations[p + 1].firstRowIndex : total
            guard location.firstRowIndex < end, end <= total else { return nil }
            out.append(Int(location.firstRowIndex)..<Int(end))
        }
        return out
    }
}
