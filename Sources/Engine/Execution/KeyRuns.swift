/// A batch's one-column key codes as runs of equal consecutive codes, for clustered input
/// (TPC-H's lineitem sorted by l_orderkey: about four rows per key). The hash aggregation
/// then hashes, partitions and looks up only each run's first row, and the rest of a run
/// takes that row's group id.
struct KeyRuns {
    /// The first row of each run, ascending; the run of `heads[k]` ends at `heads[k + 1]`
    /// (the last at `count`).
    let heads: [Int32]
    /// The key hash of each head, at the head's row (other rows' entries are not set).
    let hashes: [UInt64]
    /// Rows in the batch.
    let count: Int

    /// The runs of `codes` (one column, no NULLs); nil when there are more than
    /// `count / maximumRunsPer` runs, too few rows per run to be worth it.
    init?(_ codes: GroupTable.Batch, width: Int, maximumRunsPer: Int = 2) {
        let n = codes.count
        guard width == 1, codes.nulls == nil, n > 1 else { return nil }
        let heads: [Int32]? = codes.codes.withUnsafeBufferPointer { c in
            var changes = 0
            for i in 1..<n { changes &+= Self.bit(c[i] != c[i &- 1]) }
            guard changes < n / maximumRunsPer else { return nil }
            // Written without a branch: where runs are short, a branch would mispredict.
            return [Int32](unsafeUninitializedCapacity: changes &+ 2) { out, initialized in
                out[0] = 0
                var k = 1
                for i in 1..<n {
                    out[k] = Int32(truncatingIfNeeded: i)
                    k &+= Self.bit(c[i] != c[i &- 1])
                }
                initialized = k
            }
        }
        guard let heads else { return nil }
        self.heads = heads
        self.count = n
        hashes = codes.codes.withUnsafeBufferPointer { c in
            [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
                for h in heads { out[Int(h)] = GroupTable.hash(c.baseAddress! + Int(h), 1, 0) }
                initialized = n
            }
        }
    }

    /// The numbers k of the runs whose hash falls in partition `p` of `partitions`, ascending.
    func runs(of p: Int, _ partitions: Int) -> [Int32] {
        var mine = hashes.withUnsafeBufferPointer { hashes in
            heads.withUnsafeBufferPointer { heads in
                [Int32](unsafeUninitializedCapacity: heads.count) { out, initialized in
                    var n = 0
                    for k in 0..<heads.count {
                        out[n] = Int32(truncatingIfNeeded: k)
                        n &+= Self.bit(HashAggregateOperator.partition(hashes[Int(heads[k])], partitions) == p)
                    }
                    initialized = n
                }
            }
        }
        if mine.count < heads.count / 2 { mine = mine.withUnsafeBufferPointer { Array($0) } }
        return mine
    }

    /// Gives every row of runs `runs` its head's id in `ids`, and lists those rows, ascending.
    func spread(_ runs: [Int32], ids: UnsafeMutableBufferPointer<Int32>) -> [Int32] {
        heads.withUnsafeBufferPointer { heads in
            func end(_ k: Int) -> Int { k &+ 1 < heads.count ? Int(heads[k &+ 1]) : count }
            var total = 0
            for k in runs { total &+= end(Int(k)) &- Int(heads[Int(k)]) }
            return [Int32](unsafeUninitializedCapacity: total) { out, initialized in
                var n = 0
                for k in runs {
                    let start = Int(heads[Int(k)]), id = ids[start]
                    for i in start..<end(Int(k)) {
                        ids[i] = id
                        out[n] = Int32(truncatingIfNeeded: i)
                        n &+= 1
                    }
                }
                initialized = n
            }
        }
    }

    /// A condition as 0 or 1 by reinterpreting its byte: the compiler may turn `c ? 1 : 0`
    /// into a branch, which mispredicts on short runs (as `Kernels._b`).
    @inline(__always)
    static func bit(_ condition: Bool) -> Int { Int(unsafeBitCast(condition, to: UInt8.self)) }

    /// The heads of runs `runs`.
    func heads(of runs: [Int32]) -> [Int32] {
        heads.withUnsafeBufferPointer { heads in runs.map { heads[Int($0)] } }
    }
}
