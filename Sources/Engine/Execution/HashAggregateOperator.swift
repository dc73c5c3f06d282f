import Columnar
import Dispatch

/// GROUP BY with a hash table from key codes to group ids; without GROUP BY,
/// one group (which exists even for no input rows).
///
/// With several threads (see `Strategy`), many groups are split by key hash
/// into one partition per thread: a partition has its own table and aggregate
/// states, so the partitions fold their rows concurrently and never share a
/// group (and per-group order, as string_agg's, is kept). Few groups are
/// folded by slices of rows into partial tables merged at the end. Either way
/// the output lists groups in first-seen order, as a single table would.
final class HashAggregateOperator: PhysicalOperator {
    let input: PhysicalOperator
    let keys: [BoundExpression]
    let aggregates: [AggregateCall]
    let context: ExecutionContext
    private var done = false
    override var children: [PhysicalOperator] { [input] }
    override var label: String { "HashAggregate" + (reused ? " (result shared with an identical aggregation)" : "") }
    /// Identifies this aggregation's result within the query (see `SharedResults`); nil: not shared.
    var shareKey: String?
    private var reused = false
    /// Batches below this many rows are folded on the calling thread.
    static let parallelRows = 8_192

    init(input: PhysicalOperator, keys: [BoundExpression], aggregates: [AggregateCall], fields: [Field], context: ExecutionContext) {
        self.input = input
        self.keys = keys
        self.aggregates = aggregates
        self.context = context
        super.init(fields: fields)
    }

    /// How each batch's rows are spread over threads, chosen on the first batch.
    enum Strategy {
        /// One table: one thread.
        case single
        /// Rows split by key hash; each partition owns its groups. For many groups, or
        /// aggregates whose partial states cannot be combined (DISTINCT, string_agg).
        case hashPartitions(Int)
        /// Rows split by position; each slice folds into its own partial table, and the
        /// partials are merged at the end. For few groups (TPC-H Q1's four), which hash
        /// partitions would spread unevenly.
        case slices(Int)

        var tables: Int {
            switch self {
            case .single: 1
            case let .hashPartitions(n), let .slices(n): n
            }
        }
    }

    /// At most this many groups in the first batch (and one per eight rows) make "few groups".
    static let fewGroups = 4_096

    private func strategy(firstBatch keyColumns: [Column]) -> Strategy {
        let threads = min(context.threads, 64)
        guard threads > 1 else { return .single }
        let mergeable = aggregates.allSatisfy(AggregateState.isMergeable)
        if keys.isEmpty { return mergeable ? .slices(threads) : .single }
        if mergeable {
            let codes = GroupTable.batch(keyColumns, encoder: KeyEncoder())
            let sample = GroupTable(width: keys.count, capacity: 256)
            var added: [Int32] = []
            _ = sample.findOrInsert(codes, added: &added)
            if sample.count <= Self.fewGroups && sample.count * 8 <= codes.count { return .slices(threads) }
        }
        return .hashPartitions(threads)
    }

    /// Whether the output must list groups in first-seen order. A consumer that does not
    /// depend on the order (a sort, an IN subquery's set) clears it: the partitions' groups
    /// are then passed on as they are, without the merge and gather, which for TPC-H Q18's
    /// 1.5 million groups cost a third of the aggregation.
    var keepsOrder = true
    /// Result batches not yet passed on, last first.
    private var pending: [RecordBatch] = []

    override func produce() throws(EngineError) -> RecordBatch? {
        if !done {
            done = true
            pending = try result().reversed()
        }
        return pending.popLast()
    }

    private func result() throws(EngineError) -> [RecordBatch] {
        guard let shareKey, let shared = context.sharedResults else { return try aggregate() }
        if let result = shared.result(shareKey) {
            reused = true
            return [result]
        }
        // A shared result is one batch.
        let result = try aggregate()
        let whole = concatenate(result, fields: fields)
        shared.store(shareKey, whole)
        return [whole]
    }

    private func aggregate() throws(EngineError) -> [RecordBatch] {
        var strategy = Strategy.single
        var partitions: [GroupPartition] = []
        func makePartitions(_ count: Int) {
            partitions = (0..<count).map { _ in GroupPartition(keys: keys, aggregates: aggregates, context: context) }
            if keys.isEmpty { partitions.forEach { $0.states.forEach { $0.grow(to: 1) } } }
        }
        // Hash partitions split rows by a hash of their key values, and each partition interns
        // its own rows' keys. Keys that need no interning (numbers, dates) share one encoder
        // (its codes are the values), as do keys `KeyHashes` cannot hash (on the calling thread).
        let byValue = keys.contains { KeyEncoder.interns($0.type) } && keys.allSatisfy { KeyHashes.supports($0.type) }
        let sharedEncoder = KeyEncoder()
        var batchNumber: Int64 = 0
        let gathered = GatheredBatches(input, rows: context.threads > 1 ? Self.parallelRows * context.threads : 1)
        while let batch = try gathered.next() {
            let n = batch.rowCount
            // Everything the partitions read is evaluated here, once.
            var keyColumns: [Column] = []
            for k in keys { keyColumns.append(try context.evaluator.evaluate(k, batch)) }
            var inputs: [AggregateInput] = []
            for call in aggregates { inputs.append(try AggregateInput(call, batch, context.evaluator)) }
            let rows = AggregateRows(keyColumns: keyColumns, inputs: inputs, ordinalBase: batchNumber << 32)
            if batchNumber == 0 {
                strategy = self.strategy(firstBatch: keyColumns)
                makePartitions(strategy.tables)
            }
            batchNumber += 1
            var ids = [Int32](repeating: 0, count: n)
            let strategy = strategy, partitions = partitions
            try ids.withUnsafeMutableBufferPointer { (ids) throws(EngineError) in
                switch strategy {
                case .single:
                    try partitions[0].fold(rows, ids: ids, rows: .range(0..<n))
                case let .slices(count):
                    // Each slice writes only its own rows' ids.
                    let ranges = Parallel.ranges(n, parts: count, minimum: Self.parallelRows)
                    let shared = UncheckedSendable((partitions, rows, ids))
                    _ = try Parallel.map(ranges.count) { (j) throws(EngineError) in
                        let (partitions, rows, ids) = shared.value
                        try partitions[j].fold(rows, ids: ids, rows: .range(ranges[j]))
                    }
                case let .hashPartitions(count):
                    let codes = byValue ? nil : GroupTable.batch(keyColumns, encoder: sharedEncoder)
                    if let codes, let runs = KeyRuns(codes, width: keys.count) {
                        // Clustered keys: partitions take whole runs, looked up by their first rows.
                        let shared = UncheckedSendable((partitions, rows, codes, ids, runs))
                        _ = try Parallel.map(count) { (p) throws(EngineError) in
                            let (partitions, rows, codes, ids, runs) = shared.value
                            try partitions[p].fold(rows, codes: codes, ids: ids, runs: runs, mine: runs.runs(of: p, count))
                        }
                        return
                    }
                    let hashes = Self.rowHashes(keyColumns, codes: codes, threads: count)
                    try hashes.withUnsafeBufferPointer { (hashes) throws(EngineError) in
                        // Each partition picks out its own rows and writes only their ids.
                        if n < Self.parallelRows {
                            for p in 0..<count { try Self.fold(partitions[p], p, of: count, rows, codes: codes, ids: ids, hashes: hashes) }
                            return
                        }
                        let shared = UncheckedSendable((partitions, rows, codes, ids, hashes))
                        _ = try Parallel.map(count) { (p) throws(EngineError) in
                            let (partitions, rows, codes, ids, hashes) = shared.value
                            try Self.fold(partitions[p], p, of: count, rows, codes: codes, ids: ids, hashes: hashes)
                        }
                    }
                }
            }
        }
        if partitions.isEmpty { makePartitions(1) }
        if case .slices = strategy {
            for other in partitions.dropFirst() { try partitions[0].merge(other) }
            partitions = [partitions[0]]
        }
        let parts = try partitions.map { (p) throws(EngineError) in try p.finish() }
        // A shared result is taken by other consumers, which may need the order.
        if !keepsOrder && shareKey == nil {
            return parts.map { RecordBatch(fields: fields, columns: $0.columns, rowCount: $0.firstSeen.count) }.filter { $0.rowCount > 0 }
        }
        if parts.count == 1 {
            let part = parts[0]
            // Merged partials list groups as they were merged: restore first-seen order.
            guard !zip(part.firstSeen, part.firstSeen.dropFirst()).allSatisfy({ $0 < $1 }) else {
                return [RecordBatch(fields: fields, columns: part.columns, rowCount: part.firstSeen.count)]
            }
            let order = part.firstSeen.indices.sorted { part.firstSeen[$0] < part.firstSeen[$1] }.map { Int32($0) }
            return [RecordBatch(fields: fields, columns: part.columns.map { $0.take(order) }, rowCount: order.count)]
        }
        // Merge the partitions' groups back into first-seen order (each partition's is ascending).
        var offsets: [Int] = [0]
        for p in parts { offsets.append(offsets.last! + p.firstSeen.count) }
        var order: [Int32] = []
        order.reserveCapacity(offsets.last!)
        var next = [Int](repeating: 0, count: parts.count)
        while order.count < offsets.last! {
            var best = -1
            for p in parts.indices where next[p] < parts[p].firstSeen.count {
                if best < 0 || parts[p].firstSeen[next[p]] < parts[best].firstSeen[next[best]] { best = p }
            }
            order.append(Int32(offsets[best] + next[best]))
            next[best] += 1
        }
        let columns = fields.indices.map { c in Column.concatenate(parts.map { $0.columns[c] }).take(order) }
        return [RecordBatch(fields: fields, columns: columns, rowCount: order.count)]
    }
}

extension HashAggregateOperator {
    /// The partition of a row with key hash `h`: from the hash's top 32 bits (the tables'
    /// slot positions use the low bits), by multiplication instead of a division.
    @inline(__always)
    static func partition(_ h: UInt64, _ count: Int) -> Int {
        Int(truncatingIfNeeded: ((h >> 32) &* UInt64(count)) >> 32)
    }

    /// Hash partition `p` of `count` folds its rows of a batch in.
    private static func fold(_ partition: GroupPartition, _ p: Int, of count: Int, _ rows: AggregateRows, codes: GroupTable.Batch?,
                             ids: UnsafeMutableBufferPointer<Int32>, hashes: UnsafeBufferPointer<UInt64>) throws(EngineError) {
        let mine = Self.rows(of: p, count, hashes)
        if let codes {
            try partition.fold(rows, codes: codes, ids: ids, hashes: hashes, selection: mine)
        } else {
            try partition.fold(rows, ids: ids, rows: .list(mine))
        }
    }

    /// Partition `p`'s rows of a batch, ascending.
    static func rows(of p: Int, _ count: Int, _ hashes: UnsafeBufferPointer<UInt64>) -> [Int32] {
        // Written without a branch: a row is in a partition by a coin flip of its hash.
        var rows = [Int32](unsafeUninitializedCapacity: hashes.count) { out, initialized in
            var k = 0
            for i in 0..<hashes.count {
                out[k] = Int32(truncatingIfNeeded: i)
                k &+= KeyRuns.bit(partition(hashes[i], count) == p)
            }
            initialized = k
        }
        // Each partition keeps an array of its own size, not the batch's.
        if rows.count < hashes.count / 2 { rows = rows.withUnsafeBufferPointer { Array($0) } }
        return rows
    }

    /// Every row's key hash (of the values, or of their shared-encoder `codes` when given),
    /// slices of a large batch hashed on `threads` threads.
    static func rowHashes(_ keyColumns: [Column], codes: GroupTable.Batch?, threads: Int) -> [UInt64] {
        let n = keyColumns.first?.count ?? 0
        func hash(_ range: Range<Int>, _ out: UnsafeMutablePointer<UInt64>) {
            if let codes {
                GroupTable.rowHashes(codes, width: keyColumns.count, rows: range, into: out)
            } else {
                KeyHashes.compute(keyColumns, rows: range, into: out)
            }
        }
        let ranges = Parallel.ranges(n, parts: threads, minimum: parallelRows)
        return [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
            let shared = UncheckedSendable((hash, out.baseAddress!))
            DispatchQueue.concurrentPerform(iterations: ranges.count) { j in
                let (hash, out) = shared.value
                hash(ranges[j], out)
            }
            initialized = n
        }
    }
}

/// An input's batches, small ones concatenated until they hold `rows` rows: a batch is
/// split over threads only when it is large enough (after a selective join or filter,
/// batches of a few thousand rows would each be folded on one thread).
final class GatheredBatches {
    let input: PhysicalOperator
    let rows: Int
    private var ended = false

    init(_ input: PhysicalOperator, rows: Int) {
        self.input = input
        self.rows = rows
    }

    /// Arrays, records and maps are passed on batch by batch: their storage may differ
    /// between batches, which concatenation does not reconcile.
    private lazy var nested = input.fields.contains { field in
        switch field.type {
        case .list, .structure, .map: true
        default: false
        }
    }

    func next() throws(EngineError) -> RecordBatch? {
        if nested {
            while let b = try input.next() { if b.rowCount > 0 { return b } }
            return nil
        }
        var pieces: [RecordBatch] = []
        var count = 0
        while !ended, count < rows {
            guard let b = try input.next() else {
                ended = true
                break
            }
            if b.rowCount == 0 { continue }
            if pieces.isEmpty && b.rowCount >= rows { return b }
            pieces.append(b)
            count += b.rowCount
        }
        return pieces.isEmpty ? nil : concatenate(pieces, fields: input.fields)
    }
}

/// One aggregate call's evaluated arguments, FILTER mask and ORDER BY values over a batch.
struct AggregateInput {
    var arguments: [Column] = []
    var keep: [UInt8]?
    var order: [Column] = []

    init(_ call: AggregateCall, _ batch: RecordBatch, _ evaluator: ExpressionEvaluator) throws(EngineError) {
        for a in call.arguments { arguments.append(try evaluator.evaluate(a, batch)) }
        if let f = call.filter { keep = ExpressionEvaluator.truthMask(try evaluator.evaluate(f, batch)) }
        for k in call.orderBy { order.append(try evaluator.evaluate(k.expression, batch)) }
    }
}

/// A batch as the aggregation partitions see it.
struct AggregateRows {
    var keyColumns: [Column]
    var inputs: [AggregateInput]
    /// Row i's position in the whole input is `ordinalBase + i` (orders groups by first sight).
    var ordinalBase: Int64
}

/// One hash partition of an aggregation: its groups' table, keys and aggregate states.
final class GroupPartition {
    let table: GroupTable
    /// Interns this partition's text keys (partitions never compare codes with each other:
    /// merging partials compares key values).
    private let encoder = KeyEncoder()
    let states: [AggregateState]
    let context: ExecutionContext
    private let keyTypes: [DataType]
    /// Key values of new groups, one piece per batch, concatenated at the end.
    private var keyPieces: [[Column]]
    /// Each group's first input row, as `AggregateRows.ordinalBase + row`.
    private var firstSeen: [Int64] = []
    private var directIDsReserved = false

    init(keys: [BoundExpression], aggregates: [AggregateCall], context: ExecutionContext) {
        table = GroupTable(width: keys.count)
        table.indexDirectly()
        states = aggregates.map { AggregateState($0) }
        keyTypes = keys.map(\.type)
        keyPieces = keys.map { _ in [] }
        self.context = context
    }

    /// Folds `subset` of a batch's rows in, encoding their keys with this partition's own
    /// encoder, and writes their group ids to `ids` (at their rows).
    func fold(_ rows: AggregateRows, ids: UnsafeMutableBufferPointer<Int32>, rows subset: BatchRows) throws(EngineError) {
        if !keyTypes.isEmpty, let combinations = DictionaryCombinations(rows.keyColumns, rows: subset) {
            try groupIDsByCombination(rows, combinations, ids: ids, rows: subset)
        } else if !keyTypes.isEmpty {
            let before = table.count
            var added: [Int32] = []
            let codes = GroupTable.batch(rows.keyColumns, encoder: encoder, rows: subset)
            switch subset {
            case let .range(r):
                table.findOrInsert(codes, rows: 0..<r.count, ids: ids.baseAddress! + r.lowerBound, added: &added)
                if r.lowerBound > 0 { added = added.map { $0 + Int32(r.lowerBound) } }
            case let .list(list):
                let found = table.findOrInsert(codes, added: &added)
                for k in list.indices { ids[Int(list[k])] = found[k] }
                added = added.map { list[Int($0)] }
            }
            try noteNewGroups(rows, added: added, before: before)
        }
        try update(rows, ids: ids, rows: subset)
    }

    /// `fold`'s group ids for keys that are all dictionary columns with few entries: only the
    /// first row of each combination of entries goes through the table, and every row takes
    /// its combination's group id from a small array.
    private func groupIDsByCombination(_ rows: AggregateRows, _ combinations: DictionaryCombinations, ids: UnsafeMutableBufferPointer<Int32>,
                                   rows subset: BatchRows) throws(EngineError) {
        var groupOf = [Int32](repeating: -1, count: combinations.count)
        var firstRows: [Int32] = []
        var k = 0
        subset.forEach { i in
            let c = Int(combinations.codes[k])
            if groupOf[c] < 0 {
                groupOf[c] = 0
                firstRows.append(Int32(truncatingIfNeeded: i))
            }
            k &+= 1
        }
        let before = table.count
        var added: [Int32] = []
        let found = table.findOrInsert(GroupTable.batch(rows.keyColumns, encoder: encoder, rows: .list(firstRows)), added: &added)
        for (m, row) in firstRows.enumerated() { groupOf[Int(combinations.code(of: Int(row)))] = found[m] }
        try noteNewGroups(rows, added: added.map { firstRows[Int($0)] }, before: before)
        groupOf.withUnsafeBufferPointer { groupOf in
            combinations.codes.withUnsafeBufferPointer { codes in
                var k = 0
                subset.forEach { i in
                    ids[i] = groupOf[Int(codes[k])]
                    k &+= 1
                }
            }
        }
    }

    /// Folds the `selection` rows of a batch in by codes of an encoder all partitions share,
    /// with their hashes (for keys `KeyHashes` does not take).
    func fold(_ rows: AggregateRows, codes: GroupTable.Batch, ids: UnsafeMutableBufferPointer<Int32>, hashes: UnsafeBufferPointer<UInt64>,
              selection: [Int32]) throws(EngineError) {
        let before = table.count
        var added: [Int32] = []
        table.findOrInsert(codes, hashes: hashes.baseAddress!, rows: selection, ids: ids.baseAddress!, added: &added)
        try noteNewGroups(rows, added: added, before: before)
        try update(rows, ids: ids, rows: .list(selection))
    }

    /// Folds the rows of runs `mine` of a batch's clustered keys in (see `KeyRuns`), by codes
    /// of an encoder all partitions share.
    func fold(_ rows: AggregateRows, codes: GroupTable.Batch, ids: UnsafeMutableBufferPointer<Int32>, runs: KeyRuns,
              mine: [Int32]) throws(EngineError) {
        guard !mine.isEmpty else { return }
        let before = table.count
        var added: [Int32] = []
        runs.hashes.withUnsafeBufferPointer { hashes in
            table.findOrInsert(codes, hashes: hashes.baseAddress!, rows: runs.heads(of: mine), ids: ids.baseAddress!, added: &added)
        }
        try noteNewGroups(rows, added: added, before: before)
        try update(rows, ids: ids, rows: .list(runs.spread(mine, ids: ids)))
    }

    private func noteNewGroups(_ rows: AggregateRows, added: [Int32], before: Int) throws(EngineError) {
        guard !added.isEmpty else { return }
        if !directIDsReserved, table.directBytes > 0 {
            // The table's direct ids are set up with its first rows: counted once.
            directIDsReserved = true
            try context.reserve(table.directBytes)
        }
        for (k, c) in rows.keyColumns.enumerated() { keyPieces[k].append(c.take(added)) }
        for i in added { firstSeen.append(rows.ordinalBase + Int64(i)) }
        try context.reserve((table.count - before) * (64 + 32 * states.count))
        states.forEach { $0.grow(to: table.count) }
    }

    private func update(_ batch: AggregateRows, ids: UnsafeMutableBufferPointer<Int32>, rows: BatchRows) throws(EngineError) {
        let groupIDs = UnsafeBufferPointer(ids)
        for (j, state) in states.enumerated() {
            let input = batch.inputs[j]
            try state.update(ids: groupIDs, singleGroup: keyTypes.isEmpty, arguments: input.arguments, keep: input.keep,
                             order: input.order, rows: rows)
        }
    }

    /// Takes in another partial's groups and states (the `.slices` strategy's end).
    func merge(_ other: GroupPartition) throws(EngineError) {
        guard !keyTypes.isEmpty else {
            for (state, partial) in zip(states, other.states) { try state.merge(partial, map: [0]) }
            return
        }
        let otherKeys = other.keyColumns()
        let before = table.count
        var added: [Int32] = []
        let map = table.findOrInsert(GroupTable.batch(otherKeys, encoder: encoder), added: &added)
        for g in 0..<other.table.count where Int(map[g]) < before {
            firstSeen[Int(map[g])] = min(firstSeen[Int(map[g])], other.firstSeen[g])
        }
        // New ids were given in `added`'s order.
        for g in added { firstSeen.append(other.firstSeen[Int(g)]) }
        if !added.isEmpty {
            for k in keyPieces.indices { keyPieces[k].append(otherKeys[k].take(added)) }
            try context.reserve((table.count - before) * (64 + 32 * states.count))
            states.forEach { $0.grow(to: table.count) }
        }
        for (state, partial) in zip(states, other.states) { try state.merge(partial, map: map) }
    }

    private func keyColumns() -> [Column] {
        keyTypes.indices.map { k in
            keyPieces[k].isEmpty ? ColumnBuilder(type: keyTypes[k]).finish() : Column.concatenate(keyPieces[k])
        }
    }

    /// The groups' key and aggregate columns, and when each group was first seen.
    func finish() throws(EngineError) -> (columns: [Column], firstSeen: [Int64]) {
        var columns = keyColumns()
        for s in states { columns.append(try s.finish()) }
        return (columns, keyTypes.isEmpty ? [0] : firstSeen)
    }
}

/// Each row's combination of dictionary entries over key columns that are all dictionary
/// columns with few entries (TPC-H Q1's l_returnflag and l_linestatus: 3 × 2); a NULL is one
/// more entry. Equal combinations are equal keys, so a combination stands for its group.
struct DictionaryCombinations {
    /// The combination of each listed row, in the order of the rows.
    let codes: [Int32]
    /// How many combinations there can be.
    let count: Int
    private let columns: [(indices: [Int32], validity: Bitmap?, entries: Int, stride: Int)]

    /// At most this many combinations (the array of group ids per batch stays small).
    static let limit = 1_024

    init?(_ keyColumns: [Column], rows: BatchRows) {
        var columns: [(indices: [Int32], validity: Bitmap?, entries: Int, stride: Int)] = []
        var count = 1
        for c in keyColumns {
            guard case let .dictionary(indices, dictionary) = c.storage else { return nil }
            let entries = dictionary.value.count
            columns.append((indices, c.validity, entries, count))
            count *= entries + 1
            guard count <= Self.limit else { return nil }
        }
        self.columns = columns
        self.count = count
        // Column by column, each a tight loop; a NULL row counts as the extra entry.
        var codes = [Int32](repeating: 0, count: rows.count)
        var valid = true
        for c in columns {
            let entries = Int32(c.entries), stride = Int32(c.stride)
            c.indices.withUnsafeBufferPointer { idx in
                codes.withUnsafeMutableBufferPointer { out in
                    var k = 0
                    if let validity = c.validity {
                        rows.forEach { i in
                            let present = validity[i]
                            let e = present ? idx[i] : entries
                            // A present row's index must name an entry; NULL is the extra one.
                            valid = valid && (!present || UInt32(bitPattern: e) < UInt32(entries))
                            out[k] &+= e &* stride
                            k &+= 1
                        }
                    } else {
                        rows.forEach { i in
                            let e = idx[i]
                            valid = valid && UInt32(bitPattern: e) < UInt32(entries)
                            out[k] &+= e &* stride
                            k &+= 1
                        }
                    }
                }
            }
        }
        guard valid else { return nil }
        self.codes = codes
    }

    func code(of row: Int) -> Int32 { Self.code(columns, row) }

    @inline(__always)
    private static func code(_ columns: [(indices: [Int32], validity: Bitmap?, entries: Int, stride: Int)], _ row: Int) -> Int32 {
        var code = 0
        for c in columns {
            // A NULL row's index may be anything: NULL is the extra entry.
            let isNull = c.validity.map { !$0[row] } ?? false
            let entry = isNull ? c.entries : Int(c.indices[row])
            if entry < 0 || entry > c.entries || (entry == c.entries && !isNull) { return -1 }  // not a valid index
            code &+= entry &* c.stride
        }
        return Int32(truncatingIfNeeded: code)
    }
}
