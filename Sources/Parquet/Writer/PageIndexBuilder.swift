/// The page index of a column chunk (parquet-format PageIndex.md): a
/// ColumnIndex (per page: all-null flag, min, max, null count; and whether the
/// pages' bounds are sorted) and an OffsetIndex (per page: where it starts,
/// its size with header, its first row).
enum PageIndexBuilder {
    /// Nil when a page has values but no bounds (only NaNs): the index could not describe it.
    static func columnIndex(_ chunk: EncodedChunk) -> ColumnIndex? {
        var nullPages: [Bool] = []
        var mins: [[UInt8]] = []
        var maxes: [[UInt8]] = []
        var nullCounts: [Int64] = []
        for page in chunk.pages {
            let s = page.statistics
            if s.hasUnorderedValues { return nil }
            let isNull = s.valueCount == 0
            nullPages.append(isNull)
            mins.append(isNull ? [] : s.min ?? [])
            maxes.append(isNull ? [] : s.max ?? [])
            nullCounts.append(Int64(s.nullCount))
        }
        return ColumnIndex(nullPages: nullPages, minValues: mins, maxValues: maxes,
                           boundaryOrder: boundaryOrder(chunk.pages, kind: chunk.leaf.kind), nullCounts: nullCounts)
    }

    /// Ascending when every non-null page's min and max are at least the previous one's,
    /// descending when at most, otherwise unordered.
    static func boundaryOrder(_ pages: [EncodedPage], kind: LeafValueKind) -> BoundaryOrder {
        var ascending = true, descending = true
        var previous: ValueStatistics?
        for page in pages where page.statistics.valueCount > 0 {
            let s = page.statistics
            if let p = previous, let pMin = p.min, let pMax = p.max, let sMin = s.min, let sMax = s.max {
                if ValueStatistics.less(kind, sMin, pMin) || ValueStatistics.less(kind, sMax, pMax) { ascending = false }
                if ValueStatistics.less(kind, pMin, sMin) || ValueStatistics.less(kind, pMax, sMax) { descending = false }
            }
            previous = s
        }
        if ascending { return .ascending }
        if descending { return .descending }
        return .unordered
    }

    /// Page locations, `dataPagesOffset` being where the chunk's first data page lies in the file.
    static func offsetIndex(_ chunk: EncodedChunk, dataPagesOffset: Int) -> OffsetIndex {
        OffsetIndex(pageLocations: chunk.pages.map {
            PageLocation(offset: Int64(dataPagesOffset + $0.offset), compressedPageSize: Int32($0.compressedSizeWithHeader),
                         firstRowIndex: Int64($0.firstRowIndex))
        })
    }
}
