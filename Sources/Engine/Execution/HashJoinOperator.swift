import Columnar
import Kernels

/// Joins by hashing the right input (the build side) on its keys and probing
/// with the left input batch by batch. Handles inner, left, right, full, semi,
/// anti (also NOT IN's null-aware form) and cross joins, with a residual
/// condition evaluated on candidate pairs.
final class HashJoinOperator: PhysicalOperator {
    let left: PhysicalOperator
    let right: PhysicalOperator
    let type: JoinType
    let predicate: JoinPredicate
    let context: ExecutionContext
    override var children: [PhysicalOperator] { [left, right] }
    override var label: String {
        "HashJoin (\(type.rawValue))" + (buildSideFilter == nil ? "" : " → key filter into build side")
            + (probeSideFilter == nil ? "" : " → key filter into probe side")
    }
    /// Set by the planner when the build side aggregates by the join keys: the probe
    /// side is read first and its keys restrict the aggregation's input.
    var buildSideFilter: RuntimeKeyFilter?
    /// Set by the planner where the build side's keys may restrict the probe side: the
    /// scan the probe keys come from, or an aggregation there grouped by them. Filled
    /// once the build side is hashed, before the probe side is read.
    var probeSideFilter: RuntimeKeyFilter?
    /// Probe batches read before the build (for the key filter), served first.
    private var buffered: [RecordBatch] = []
    private var bufferedBytes = 0
    private var probeDone = false
    /// Past this many probe rows the key filter is abandoned (every row passes).
    static let keyFilterRows = 1 << 20

    private var built = false
    private var build = RecordBatch(fields: [], columns: [], rowCount: 0)
    private let encoder = KeyEncoder()
    private var table = GroupTable(width: 0)
    /// With one integer key over a range at most a few times the build rows (primary keys:
    /// o_orderkey, p_partkey), a key's id is its offset from `directMin`: no hashing, one
    /// memory access per probe row. Nil: ids come from `table`.
    private var directMin: Int64?
    /// First build row of each key id; `chain` links the rest.
    private var heads: [Int32] = []
    private var chain: [Int32] = []
    private var buildHasNullKey = false
    /// Several keys packed into one code (see `PackedKeys`); nil: one key, or they do not fit.
    private var packing: PackedKeys?
    /// The build side's string columns, boxed once so that every output batch shares them
    /// as its dictionary (and concatenation can tell that they do).
    private var buildDictionaries: [Box<Column>?] = []
    static let dictionaryRatio = 4
    private var matched: [Bool] = []
    private var emittedUnmatched = false
    /// A cross product is produced a slice of probe rows at a time, so its output
    /// batches stay near `crossBatchRows` however large both sides are.
    private var crossProbe: RecordBatch?
    private var crossOffset = 0
    static let crossBatchRows = 65_536

    init(left: PhysicalOperator, right: PhysicalOperator, type: JoinType, predicate: JoinPredicate, fields: [Field], context: ExecutionContext) {
        self.left = left
        self.right = right
        self.type = type
        self.predicate = predicate
        self.context = context
        super.init(fields: fields)
    }

    /// The build keys' range when it is dense enough for direct ids: at most four slots per
    /// build row (or 65,536 in all), or up to 32 per row within 2^23 slots (a key-filtered
    /// build side: Q9's 287,490 orders among 6M order keys, 24 MB of heads where a hash
    /// table would take 15 MB and a hash and a probe per row).
    static func directSpan(_ keys: GroupTable.Batch) -> (min: Int64, count: Int)? {
        var lo = Int64.max, hi = Int64.min
        keys.codes.withUnsafeBufferPointer { codes in
            for i in 0..<keys.count where keys.nulls.map({ $0[i] == 0 }) ?? true {
                lo = min(lo, codes[i])
                hi = max(hi, codes[i])
            }
        }
        guard lo <= hi else { return nil }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        guard !overflow, (span < max(1 << 16, 4 * Int64(keys.count)) && span < 1 << 27) || (span < 1 << 23 && span < 32 * Int64(keys.count))
        else { return nil }
        return (lo, Int(span) + 1)
    }

    /// Reads the probe side ahead (up to `keyFilterRows`) and hands its keys to the key filter.
    private func fillKeyFilter(_ filter: RuntimeKeyFilter) throws(EngineError) {
        var rows = 0
        var dictionaries = Set<ObjectIdentifier>()
        while true {
            guard let b = try probeInput.next() else { probeDone = true; break }
            if b.rowCount == 0 { continue }
            let bytes = b.byteSize(countingOnce: &dictionaries)
            try context.reserve(bytes)
            bufferedBytes += bytes
            buffered.append(b)
            rows += b.rowCount
            if rows > Self.keyFilterRows { return }
        }
        let all = concatenate(buffered, fields: left.fields)
        var keyColumns: [Column] = []
        for k in predicate.leftKeys { keyColumns.append(try context.evaluator.evaluate(k, all)) }
        filter.fill(keyColumns)
        buffered = all.rowCount > 0 ? [all] : []
    }

    private func nextProbe() throws(EngineError) -> RecordBatch? {
        if !buffered.isEmpty {
            let b = buffered.removeFirst()
            if buffered.isEmpty {
                context.release(bufferedBytes)
                bufferedBytes = 0
            }
            return b
        }
        if probeDone { return nil }
        return try probeInput.next()
    }

    /// The probe side in batches of at least `parallelSliceRows` per thread: a key-filtered
    /// scan yields a few thousand rows per row group, which alone would be probed on one
    /// thread and give the build side's strings too few rows to be their dictionary.
    private lazy var probeInput = GatheredBatches(left, rows: Self.parallelSliceRows * max(1, context.threads))

    override var details: [String] { [buildSideFilter, probeSideFilter].compactMap { $0?.summary } }

    private func buildTable() throws(EngineError) {
        if let buildSideFilter { try fillKeyFilter(buildSideFilter) }
        build = try drain(right, context: context)
        buildDictionaries = build.columns.map { c in
            // Text only: a dictionary of bytea values is cast and compared as text elsewhere.
            if case .bytes = c.storage, c.type == .string { Box(c) } else { nil }
        }
        let n = build.rowCount
        chain = [Int32](repeating: -1, count: n)
        if type == .right || type == .full { matched = [Bool](repeating: false, count: n) }
        guard !predicate.leftKeys.isEmpty else { return }
        var keyColumns: [Column] = []
        for k in predicate.rightKeys { keyColumns.append(try context.evaluator.evaluate(k, build)) }
        var keys = GroupTable.batch(keyColumns, encoder: encoder)
        packing = PackedKeys(keys, width: keyColumns.count)
        if let packing { keys = packing.pack(keys) }
        let oneKey = packing != nil || (predicate.rightKeys.count == 1 && RuntimeKeyFilter.supports(predicate.rightKeys[0].type)
            && RuntimeKeyFilter.supports(predicate.leftKeys[0].type))
        if oneKey, let span = Self.directSpan(keys) {
            directMin = span.min
            heads = [Int32](repeating: -1, count: span.count)
            try context.reserve(span.count * 4 + n * 8)
            keys.codes.withUnsafeBufferPointer { codes in
                heads.withUnsafeMutableBufferPointer { heads in
                    chain.withUnsafeMutableBufferPointer { chain in
                        for i in stride(from: n - 1, through: 0, by: -1) {
                            if table.hasNull(keys, i) { buildHasNullKey = true; continue }
                            let slot = Int(codes[i] &- span.min)
                            chain[i] = heads[slot]
                            heads[slot] = Int32(i)
                        }
                    }
                }
            }
            if !probeDone { probeSideFilter?.fill(keyColumns) }
            return
        }
        table = GroupTable(width: packing == nil ? keyColumns.count : 1, capacity: n)
        var added: [Int32] = []
        let ids = table.findOrInsert(keys, added: &added)
        heads = [Int32](repeating: -1, count: table.count)
        // Backwards, so each chain lists build rows in input order. Rows with a NULL key never match.
        for i in stride(from: n - 1, through: 0, by: -1) {
            if table.hasNull(keys, i) { buildHasNullKey = true; continue }
            let id = Int(ids[i])
            chain[i] = heads[id]
            heads[id] = Int32(i)
        }
        try context.reserve(n * 48)
        // The filter looks up unpacked key rows: it shares the table only when nothing was packed.
        if !probeDone { probeSideFilter?.fill(keyColumns, table: packing == nil ? table : nil) }
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        if !built {
            try buildTable()
            built = true
        }
        while true {
            if let out = pending.popLast() { return out }
            if let probe = crossProbe {
                let step = max(1, Self.crossBatchRows / max(1, build.rowCount))
                let end = min(probe.rowCount, crossOffset + step)
                let slice = probe.slice(crossOffset, end - crossOffset)
                crossOffset = end
                if end == probe.rowCount { crossProbe = nil }
                pending = try join(slice).reversed()
                continue
            }
            guard let probe = try nextProbe() else { break }
            if predicate.leftKeys.isEmpty, probe.rowCount * build.rowCount > Self.crossBatchRows {
                crossProbe = probe
                crossOffset = 0
                continue
            }
            pending = try join(probe).reversed()
        }
        if (type == .right || type == .full) && !emittedUnmatched {
            emittedUnmatched = true
            let rows = matched.indices.filter { !matched[$0] }.map { Int32($0) }
            if !rows.isEmpty {
                let leftNulls = left.fields.map { ColumnBuilder.constant(.null, type: $0.type, count: rows.count) }
                let rightPart = build.take(rows)
                return RecordBatch(fields: fields, columns: leftNulls + rightPart.columns, rowCount: rows.count)
            }
        }
        return nil
    }

    /// Output batches still to return (last first): a probe batch's slices each make one.
    private var pending: [RecordBatch] = []
    /// Probe slices below this many rows are not worth a thread.
    static let parallelSliceRows = 16_384

    /// The join of one probe batch, as one output batch per slice probed in parallel
    /// (empty ones dropped); the key encoder interns strings, so it runs before the split.
    private func join(_ probe: RecordBatch) throws(EngineError) -> [RecordBatch] {
        let n = probe.rowCount
        if n == 0 { return [] }
        // NOT IN with a NULL in the subquery: nothing qualifies (unless the subquery is empty).
        if type == .anti && predicate.nullAware && buildHasNullKey { return [] }
        var keys: GroupTable.Batch?
        if !predicate.leftKeys.isEmpty {
            var keyColumns: [Column] = []
            for k in predicate.leftKeys { keyColumns.append(try context.evaluator.evaluate(k, probe)) }
            keys = GroupTable.batch(keyColumns, encoder: encoder)
            if let packing { keys = packing.pack(keys!) }
        }
        let ranges = keys == nil ? [0..<n] : Parallel.ranges(n, parts: context.threads, minimum: Self.parallelSliceRows)
        let shared = UncheckedSendable((self, probe, keys))
        let slices = try Parallel.map(ranges.count) { (i) throws(EngineError) in
            let (op, probe, keys) = shared.value
            return try op.join(probe, keys: keys, rows: ranges[i])
        }
        // Right and full joins remember which build rows found a partner, here on one thread.
        if type == .right || type == .full {
            for slice in slices { for r in slice.matchedBuildRows { matched[Int(r)] = true } }
        }
        return slices.compactMap { $0.output.flatMap { $0.rowCount > 0 ? $0 : nil } }
    }

    /// Joins probe rows `range` (keys nil: a cross product); right and full joins also
    /// report the build rows that found a partner.
    private func join(_ probe: RecordBatch, keys: GroupTable.Batch?,
                      rows range: Range<Int>) throws(EngineError) -> (output: RecordBatch?, matchedBuildRows: [Int32]) {
        let n = range.count
        let base = range.lowerBound
        var leftRows: [Int32] = []
        var rightRows: [Int32] = []
        var probeNullKey = [Bool](repeating: false, count: n)
        // Whether each probe row found exactly one partner (a foreign key into a key, after a
        // key filter): then `leftRows` is `range` itself and the probe side is sliced, not gathered.
        var everyRowOnce = keys != nil
        if let keys {
            let ids = [Int32](unsafeUninitializedCapacity: n) { out, initialized in
                if let directMin {
                    // Offsets outside the build's range wrap to large unsigned values.
                    let count = UInt64(heads.count)
                    keys.codes.withUnsafeBufferPointer { codes in
                        for k in 0..<n {
                            let offset = UInt64(bitPattern: codes[base + k] &- directMin)
                            out[k] = offset < count ? Int32(truncatingIfNeeded: offset) : -1
                        }
                    }
                } else {
                    table.find(keys, rows: range, into: out.baseAddress!)
                }
                initialized = n
            }
            leftRows.reserveCapacity(n)
            rightRows.reserveCapacity(n)
            heads.withUnsafeBufferPointer { heads in
                chain.withUnsafeBufferPointer { chain in
                    for k in 0..<n {
                        let i = base + k
                        if table.hasNull(keys, i) { probeNullKey[k] = true; everyRowOnce = false; continue }
                        guard ids[k] >= 0 else { everyRowOnce = false; continue }
                        var r = heads[Int(ids[k])]
                        if r < 0 || chain[Int(r)] >= 0 { everyRowOnce = false }
                        while r >= 0 {
                            leftRows.append(Int32(i))
                            rightRows.append(r)
                            r = chain[Int(r)]
                        }
                    }
                }
            }
        } else if build.rowCount > 0 {
            // Cross product (then the residual).
            let total = n * build.rowCount
            try context.reserve(total * 8)
            defer { context.release(total * 8) }
            leftRows.reserveCapacity(total)
            rightRows.reserveCapacity(total)
            for i in range {
                for j in 0..<build.rowCount {
                    leftRows.append(Int32(i))
                    rightRows.append(Int32(j))
                }
            }
        }
        if let residual = predicate.residual, !leftRows.isEmpty {
            let pairs = RecordBatch(fields: left.fields + right.fields,
                                    columns: probe.take(leftRows).columns + build.take(rightRows).columns, rowCount: leftRows.count)
            let mask = ExpressionEvaluator.truthMask(try context.evaluator.evaluate(residual, pairs))
            var l2: [Int32] = [], r2: [Int32] = []
            for k in 0..<mask.count where mask[k] != 0 {
                l2.append(leftRows[k])
                r2.append(rightRows[k])
            }
            if l2.count != leftRows.count { everyRowOnce = false }
            leftRows = l2
            rightRows = r2
        }
        // A string column of a build side at most `dictionaryRatio` times the output's rows is
        // referenced as the output's dictionary, not copied: grouping downstream then interns
        // once per build row (n_name under Q9's 319K joined rows, Q10's customer columns).
        func buildRows(_ rows: [Int32]) -> [Column] {
            build.columns.indices.map { k in
                let c = build.columns[k]
                guard let shared = buildDictionaries[k], build.rowCount <= Self.dictionaryRatio * rows.count else { return c.take(rows) }
                let validity = c.validity.map { v in rows.withUnsafeBufferPointer { Kernels.take(v, indices: $0) } }
                return Column(type: c.type, count: rows.count, validity: validity, storage: .dictionary(indices: rows, dictionary: shared))
            }
        }
        func probeRows(_ rows: [Int32]) -> RecordBatch {
            everyRowOnce ? probe.slice(base, n) : probe.take(rows)
        }
        switch type {
        case .semi, .anti:
            var has = [Bool](repeating: false, count: n)
            for l in leftRows { has[Int(l) - base] = true }
            var keep: [Int32] = []
            for k in 0..<n {
                if type == .semi {
                    if has[k] { keep.append(Int32(base + k)) }
                } else if !has[k] {
                    // NOT IN: a NULL probe key is unknown, not "absent", when the subquery has rows.
                    if predicate.nullAware && probeNullKey[k] && build.rowCount > 0 { continue }
                    keep.append(Int32(base + k))
                }
            }
            return (keep.count == n ? probe.slice(base, n) : probe.take(keep), [])
        case .inner, .cross:
            return (RecordBatch(fields: fields, columns: probeRows(leftRows).columns + buildRows(rightRows),
                                rowCount: leftRows.count), [])
        case .left, .full, .right:
            if type == .right || (type == .left && everyRowOnce) {
                return (RecordBatch(fields: fields, columns: probeRows(leftRows).columns + buildRows(rightRows),
                                    rowCount: leftRows.count), type == .right ? rightRows : [])
            }
            var has = [Bool](repeating: false, count: n)
            for l in leftRows { has[Int(l) - base] = true }
            let unmatched = (0..<n).filter { !has[$0] }.map { Int32(base + $0) }
            let allLeft = leftRows + unmatched
            let allRight = rightRows + [Int32](repeating: -1, count: unmatched.count)
            let rightColumns = build.columns.map { $0.takeNullable(allRight) }
            return (RecordBatch(fields: fields, columns: probe.take(allLeft).columns + rightColumns, rowCount: allLeft.count),
                    type == .full ? rightRows : [])
        }
    }
}

extension Column {
    /// Like `take`, with -1 meaning a NULL row.
    func takeNullable(_ indices: [Int32]) -> Column {
        guard indices.contains(-1) else { return take(indices) }
        if count == 0 { return ColumnBuilder.constant(.null, type: type, count: indices.count) }
        var out = take(indices.map { max($0, 0) })
        let old = out.validity
        var bits = [Bool](repeating: true, count: indices.count)
        for i in 0..<indices.count {
            bits[i] = indices[i] >= 0 && (old.map { $0[i] } ?? true)
        }
        out.validity = Bitmap(bits)
        return out
    }
}
