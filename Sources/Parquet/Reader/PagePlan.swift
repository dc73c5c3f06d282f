/// Which bytes of a flat column chunk to read for a row selection: the
/// dictionary page (always, it precedes the first data page), then every data
/// page that holds a selected row, adjacent pages merged into one read. The
/// pages are decoded in that order, so `localRows` are the selected rows
/// renumbered within the decoded ones.
struct PagePlan {
    var spans: [(offset: Int, length: Int)] = []
    /// Rows in the pages read (= values: the leaf is flat).
    var rowCount = 0
    /// The selected rows among the decoded rows.
    var localRows: [Range<Int>] = []
    var pagesRead = 0
    var pagesSkipped = 0

    var byteCount: Int { spans.reduce(0) { $0 + $1.length } }

    /// Nil when the offset index does not describe the chunk sanely (pages out of
    /// order, overlapping, or outside the chunk): the caller then reads it whole.
    init?(rows: RowRanges, pageRows: [Range<Int>], locations: [PageLocation], chunkStart: Int, chunkLength: Int) {
        guard !locations.isEmpty, locations.count == pageRows.count else { return nil }
        let chunkEnd = chunkStart + chunkLength
        var previousEnd = chunkStart
        for location in locations {
            guard location.offset >= Int64(previousEnd), location.compressedPageSize > 0,
                  location.offset + Int64(location.compressedPageSize) <= Int64(chunkEnd) else { return nil }
            previousEnd = Int(location.offset) + Int(location.compressedPageSize)
        }
        let firstPage = Int(locations[0].offset)
        if firstPage > chunkStart { spans.append((chunkStart, firstPage - chunkStart)) }
        var lastEnd = firstPage > chunkStart ? firstPage : -1
        for (p, location) in locations.enumerated() {
            guard rows.overlaps(pageRows[p]) else {
                pagesSkipped += 1
                continue
            }
            let offset = Int(location.offset), length = Int(location.compressedPageSize)
            if offset == lastEnd, let last = spans.last {
                spans[spans.count - 1] = (last.offset, last.length + length)
            } else {
                spans.append((offset, length))
            }
            lastEnd = offset + length
            localRows += rows.local(pageRows[p], base: rowCount)
            rowCount += pageRows[p].count
            pagesRead += 1
        }
        // Runs that meet across page boundaries become one.
        localRows = RowRanges(localRows).ranges
    }
}
