import Columnar

extension Column {
    /// The rows in `ranges` (sorted, disjoint, within `0..<count`), in order: how a
    /// page-pruned read trims decoded pages to the selected rows. Copies run by run
    /// (selections are a few long runs), nested columns included.
    func rows(in ranges: [Range<Int>]) -> Column {
        let n = ranges.reduce(0) { $0 + $1.count }
        if ranges.count == 1 && ranges[0] == 0..<count { return self }
        func runs<T>(_ v: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(n)
            for r in ranges { out.append(contentsOf: v[r]) }
            return out
        }
        let newValidity = validity.map { Self.bits($0, in: ranges, total: n) }
        let newStorage: Storage
        switch storage {
        case let .boolean(v): newStorage = .boolean(runs(v))
        case let .int8(v): newStorage = .int8(runs(v))
        case let .int16(v): newStorage = .int16(runs(v))
        case let .int32(v): newStorage = .int32(runs(v))
        case let .int64(v): newStorage = .int64(runs(v))
        case let .uint8(v): newStorage = .uint8(runs(v))
        case let .uint16(v): newStorage = .uint16(runs(v))
        case let .uint32(v): newStorage = .uint32(runs(v))
        case let .uint64(v): newStorage = .uint64(runs(v))
        case let .float32(v): newStorage = .float32(runs(v))
        case let .float64(v): newStorage = .float64(runs(v))
        case let .int128(v): newStorage = .int128(runs(v))
        case let .bytes(offsets, data):
            var newOffsets: [Int] = [0]
            newOffsets.reserveCapacity(n + 1)
            var newData: [UInt8] = []
            newData.reserveCapacity(ranges.reduce(0) { $0 + offsets[$1.upperBound] - offsets[$1.lowerBound] })
            for r in ranges {
                let shift = newData.count - offsets[r.lowerBound]
                newData.append(contentsOf: data[offsets[r.lowerBound]..<offsets[r.upperBound]])
                for i in (r.lowerBound + 1)...r.upperBound { newOffsets.append(offsets[i] + shift) }
            }
            newStorage = .bytes(offsets: newOffsets, data: newData)
        case let .fixedBytes(width, data):
            var newData: [UInt8] = []
            newData.reserveCapacity(n * width)
            for r in ranges { newData.append(contentsOf: data[(r.lowerBound * width)..<(r.upperBound * width)]) }
            newStorage = .fixedBytes(width: width, data: newData)
        case let .dictionary(indices, dictionary):
            newStorage = .dictionary(indices: runs(indices), dictionary: dictionary)
        case let .list(offsets, child):
            var newOffsets: [Int] = [0]
            newOffsets.reserveCapacity(n + 1)
            var childRanges: [Range<Int>] = []
            var childCount = 0
            for r in ranges {
                let lo = offsets[r.lowerBound], hi = offsets[r.upperBound]
                let shift = childCount - lo
                for i in (r.lowerBound + 1)...r.upperBound { newOffsets.append(offsets[i] + shift) }
                if lo < hi {
                    // Adjacent row runs can meet in the child: keep its ranges disjoint.
                    if let last = childRanges.last, last.upperBound == lo {
                        childRanges[childRanges.count - 1] = last.lowerBound..<hi
                    } else {
                        childRanges.append(lo..<hi)
                    }
                }
                childCount += hi - lo
            }
            newStorage = .list(offsets: newOffsets, child: Box(child.value.rows(in: childRanges)))
        case let .structure(children):
            newStorage = .structure(children.map { $0.rows(in: ranges) })
        }
        return Column(type: type, count: n, validity: newValidity, storage: newStorage)
    }

    /// The bits of `bitmap` in `ranges`, packed, 64 at a time where the runs allow.
    private static func bits(_ bitmap: Bitmap, in ranges: [Range<Int>], total: Int) -> Bitmap {
        var out = [UInt64](repeating: 0, count: (total + 63) >> 6)
        let src = bitmap.words
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                var at = 0
                for r in ranges {
                    var i = r.lowerBound
                    while i < r.upperBound {
                        // Up to 64 source bits from i, then as many as fit in the destination word.
                        let take = Swift.min(r.upperBound - i, 64 - (at & 63), 64 - (i & 63))
                        let word = s[i >> 6] >> UInt64(i & 63)
                        let mask: UInt64 = take == 64 ? ~0 : (1 << UInt64(take)) - 1
                        d[at >> 6] |= (word & mask) << UInt64(at & 63)
                        i += take
                        at += take
                    }
                }
            }
        }
        return Bitmap(words: out, count: total)
    }
}
