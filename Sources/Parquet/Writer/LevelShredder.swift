import Columnar

/// One leaf column chunk before encoding: Dremel levels (one entry per value
/// slot, nulls and empty lists included) and the dense non-null values.
struct LeafChunkData {
    /// Empty when the leaf's max repetition level is 0.
    var repetitionLevels: [UInt16] = []
    /// Empty when the leaf's max definition level is 0.
    var definitionLevels: [UInt16] = []
    var entryCount = 0
    var rowCount = 0
    var values: DenseValues
}

/// Rows of a top-level column, `rows` of `column`.
struct ColumnSegment: Sendable {
    var column: Column
    var rows: Range<Int>
}

/// Record shredding (Dremel), the inverse of `NestedAssembler`: for each row,
/// walk the leaf's path of columns and emit (repetition, definition) entries:
/// - a null at a nullable node: one entry with the definition level above it;
/// - an empty list: one entry with the list's "defined, no elements" level;
/// - list elements: the first continues the parent's repetition level, the
///   following ones start at the list's repeated level.
enum LevelShredder {
    static func shred(_ leaf: WriterLeaf, segments: [ColumnSegment], keepDictionaryIndices: Bool) throws(ParquetError) -> LeafChunkData {
        let context = "column '\(leaf.dottedPath)'"
        // The column object at each step of the path, per segment.
        var stepColumns: [[Column]] = []
        stepColumns.reserveCapacity(segments.count)
        var allDictionary = keepDictionaryIndices && leaf.kind == .byteArray
        for segment in segments {
            let columns = try columnsAlongPath(leaf, segment.column, context: context)
            if case let .dictionary(_, dict) = columns[columns.count - 1].storage, case .bytes = dict.value.storage {
            } else {
                allDictionary = false
            }
            stepColumns.append(columns)
        }
        var data = LeafChunkData(values: DenseValues(kind: leaf.kind, indexed: allDictionary))
        let maxDef = leaf.maxDefinitionLevel
        for (s, segment) in segments.enumerated() {
            let columns = stepColumns[s]
            data.rowCount += segment.rows.count
            guard segment.rows.upperBound <= segment.column.count else {
                throw ParquetError.corrupt("\(context): rows \(segment.rows) beyond the column's \(segment.column.count) values")
            }
            if leaf.steps.count == 1 {
                // A top-level primitive column: levels straight from validity.
                let column = columns[0]
                let rows = segment.rows
                let validity = column.validity.flatMap { v -> Bitmap? in
                    v.count >= column.count ? v : nil
                }
                if maxDef == 0 {
                    if let validity, hasNull(validity, rows) {
                        throw ParquetError.unsupported("\(context) is not nullable but has null values")
                    }
                    try ValueGatherer.append(column, Selection(positions: nil, range: rows, validity: nil), to: &data.values, context: context)
                } else {
                    appendDefinitionLevels(validity, rows, into: &data.definitionLevels)
                    let selection = Selection(positions: nil, range: rows, validity: validity.flatMap { hasNull($0, rows) ? $0 : nil })
                    try ValueGatherer.append(column, selection, to: &data.values, context: context)
                }
                data.entryCount += rows.count
                continue
            }
            var walker = try Walker(leaf: leaf, columns: columns, context: context)
            walker.definitionLevels = data.definitionLevels
            walker.repetitionLevels = data.repetitionLevels
            data.definitionLevels = []
            data.repetitionLevels = []
            for row in segment.rows { try walker.walk(0, row, 0, 0) }
            data.definitionLevels = walker.definitionLevels
            data.repetitionLevels = walker.repetitionLevels
            data.entryCount += walker.entries
            let positions = walker.positions
            walker = Walker.empty
            try ValueGatherer.append(columns[columns.count - 1], Selection(positions: positions, range: 0..<0, validity: nil),
                                     to: &data.values, context: context)
        }
        if maxDef == 0 { data.definitionLevels = [] }
        if leaf.maxRepetitionLevel == 0 { data.repetitionLevels = [] }
        return data
    }

    /// The column at each step of the leaf's path (the top-level column first, the leaf column last).
    static func columnsAlongPath(_ leaf: WriterLeaf, _ top: Column, context: String) throws(ParquetError) -> [Column] {
        var columns = [top]
        columns.reserveCapacity(leaf.steps.count)
        var current = top
        for step in leaf.steps.dropLast() {
            switch step {
            case let .structure(_, child):
                guard case let .structure(children) = current.storage, child < children.count else {
                    throw ParquetError.unsupported("\(context): expected struct storage for a \(current.type) column")
                }
                guard children[child].count >= current.count else {
                    throw ParquetError.corrupt("\(context): struct field has \(children[child].count) values, the struct \(current.count)")
                }
                current = children[child]
            case .list:
                guard case let .list(offsets, child) = current.storage else {
                    throw ParquetError.unsupported("\(context): expected list storage for a \(current.type) column")
                }
                guard offsets.count == current.count + 1 || (current.count == 0 && offsets.count <= 1) else {
                    throw ParquetError.corrupt("\(context): list has \(offsets.count) offsets for \(current.count) values")
                }
                current = child.value
            case .leaf:
                break
            }
            columns.append(current)
        }
        return columns
    }

    static func hasNull(_ validity: Bitmap, _ rows: Range<Int>) -> Bool {
        if rows.isEmpty { return false }
        if rows.lowerBound == 0 && rows.upperBound == validity.count { return !validity.allSet }
        for i in rows where !validity[i] { return true }
        return false
    }

    /// 1 where the value is present, 0 where null (a top-level optional leaf).
    static func appendDefinitionLevels(_ validity: Bitmap?, _ rows: Range<Int>, into levels: inout [UInt16]) {
        guard let validity else {
            levels.append(contentsOf: repeatElement(1, count: rows.count))
            return
        }
        let base = levels.count
        levels.append(contentsOf: repeatElement(0, count: rows.count))
        let words = validity.words
        levels.withUnsafeMutableBufferPointer { out in
            words.withUnsafeBufferPointer { w in
                var k = base
                for i in rows {
                    out[k] = UInt16(truncatingIfNeeded: (w[i >> 6] >> UInt64(i & 63)) & 1)
                    k += 1
                }
            }
        }
    }

    /// The recursive walk over one segment's nested columns.
    struct Walker {
        var steps: [ShredStep] = []
        var validity: [Bitmap?] = []
        var offsets: [[Int]] = []
        var counts: [Int] = []
        var hasRep = false, hasDef = false
        var repetitionLevels: [UInt16] = []
        var definitionLevels: [UInt16] = []
        var positions: [Int] = []
        var entries = 0
        var context = ""

        static var empty: Walker { Walker() }

        private init() {}

        init(leaf: WriterLeaf, columns: [Column], context: String) throws(ParquetError) {
            steps = leaf.steps
            hasRep = leaf.maxRepetitionLevel > 0
            hasDef = leaf.maxDefinitionLevel > 0
            self.context = context
            for (k, column) in columns.enumerated() {
                validity.append(column.validity.flatMap { $0.count >= column.count ? $0 : nil })
                counts.append(column.count)
                if case let .list(o, _) = column.storage, case .list = steps[k] { offsets.append(o) } else { offsets.append([]) }
            }
        }

        @inline(__always)
        mutating func emit(_ r: Int, _ d: Int) {
            if hasRep { repetitionLevels.append(UInt16(truncatingIfNeeded: r)) }
            if hasDef { definitionLevels.append(UInt16(truncatingIfNeeded: d)) }
            entries += 1
        }

        mutating func walk(_ k: Int, _ i: Int, _ d: Int, _ r: Int) throws(ParquetError) {
            guard i < counts[k] else { throw ParquetError.corrupt("\(context): slot \(i) beyond the column's \(counts[k]) values") }
            let isNull = validity[k].map { !$0[i] } ?? false
            switch steps[k] {
            case let .leaf(nullable):
                if isNull {
                    guard nullable else { throw ParquetError.unsupported("\(context) is not nullable but has null values") }
                    emit(r, d)
                } else {
                    emit(r, d + (nullable ? 1 : 0))
                    positions.append(i)
                }
            case let .structure(nullable, _):
                if isNull {
                    guard nullable else { throw ParquetError.unsupported("\(context): a non-nullable struct has null values") }
                    emit(r, d)
                } else {
                    try walk(k + 1, i, d + (nullable ? 1 : 0), r)
                }
            case let .list(nullable, repetitionLevel):
                if isNull {
                    guard nullable else { throw ParquetError.unsupported("\(context): a non-nullable list has null values") }
                    emit(r, d)
                    return
                }
                let defined = d + (nullable ? 1 : 0)
                let start = offsets[k][i], end = offsets[k][i + 1]
                guard start <= end, start >= 0, end <= counts[k + 1] else {
                    throw ParquetError.corrupt("\(context): list offsets \(start)..<\(end) outside the \(counts[k + 1]) elements")
                }
                if start == end {
                    emit(r, defined)
                    return
                }
                try walk(k + 1, start, defined + 1, r)
                var j = start + 1
                while j < end {
                    try walk(k + 1, j, defined + 1, repetitionLevel)
                    j += 1
                }
            }
        }
    }
}
