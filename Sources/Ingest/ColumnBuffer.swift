import Columnar

/// A growable column of one `DataType`: what parsers append converted values
/// to and what partition buffers gather rows into, before `finish()` hands the
/// arrays to a `Column` for the Parquet writer without copying them.
///
/// A class so that hot loops append to its arrays in place (an enum payload
/// would be copied on mutation). Values are kept in a few physical arrays:
/// booleans as bytes, 32-bit integers and dates in `i32`, every other integer
/// (and decimals up to 18 digits, timestamps, times) in `i64`, floats in
/// `f64`, wide decimals in `i128`, strings and binaries as offsets + bytes,
/// lists as offsets + one child, structs as children. Validity is one byte a
/// row, allocated only once the first null arrives.
/// Owned by one thread at a time (handed from a parser to the writer).
public final class ColumnBuffer: @unchecked Sendable {
    public let type: DataType
    public internal(set) var count = 0
    var u8: [UInt8] = []
    var i32: [Int32] = []
    var i64: [Int64] = []
    var f64: [Double] = []
    var i128: [Int128] = []
    /// Strings, binaries, lists and maps: value i spans `offsets[i]..<offsets[i+1]`.
    var offsets: [Int] = [0]
    var data: [UInt8] = []
    var children: [ColumnBuffer] = []
    /// One byte per row (1 = present) once a null was appended; empty before.
    var valid: [UInt8] = []

    enum Physical { case boolean, i32, i64, f64, i128, bytes, fixed(Int), list, structure }
    let physical: Physical

    public init(type: DataType) {
        self.type = type
        switch type {
        case .boolean: physical = .boolean
        case .int32, .date32: physical = .i32
        case .int8, .int16, .int64, .uint8, .uint16, .uint32, .uint64, .time, .timestamp: physical = .i64
        case let .decimal(p, _): physical = p <= 18 ? .i64 : .i128
        case .float16, .float32, .float64: physical = .f64
        case .string, .binary: physical = .bytes
        case let .fixedBinary(w): physical = .fixed(w)
        case .interval: physical = .fixed(16)
        case let .list(element): physical = .list; children = [ColumnBuffer(type: element.type)]
        case let .map(key, value):
            physical = .list
            children = [ColumnBuffer(type: .structure([Field("key", key.type, nullable: false), value]))]
        case let .structure(fields): physical = .structure; children = fields.map { ColumnBuffer(type: $0.type) }
        }
    }

    /// A new, empty buffer of the same type.
    func emptyCopy() -> ColumnBuffer { ColumnBuffer(type: type) }

    /// Bytes allocated (what the partition buffers' memory bound counts).
    public var byteSize: Int {
        // Capacities, not counts: growing arrays hold up to twice what they use.
        var total = valid.capacity + u8.capacity + i32.capacity * 4 + i64.capacity * 8 + f64.capacity * 8
            + i128.capacity * 16 + data.capacity + offsets.capacity * 8
        for child in children { total += child.byteSize }
        return total
    }

    func reserve(_ rows: Int) {
        switch physical {
        case .boolean: u8.reserveCapacity(rows)
        case .i32: i32.reserveCapacity(rows)
        case .i64: i64.reserveCapacity(rows)
        case .f64: f64.reserveCapacity(rows)
        case .i128: i128.reserveCapacity(rows)
        case .bytes, .list: offsets.reserveCapacity(rows + 1)
        case .fixed, .structure: break
        }
    }

    // MARK: appending values

    /// Marks the row about to be appended (at index `count`) as null or present.
    @inline(__always) private func mark(_ present: Bool) {
        if !present {
            if valid.isEmpty { valid = [UInt8](repeating: 1, count: count) }
            valid.append(0)
        } else if !valid.isEmpty {
            valid.append(1)
        }
        count += 1
    }

    public func appendNull() {
        switch physical {
        case .boolean: u8.append(0)
        case .i32: i32.append(0)
        case .i64: i64.append(0)
        case .f64: f64.append(0)
        case .i128: i128.append(0)
        case .bytes, .list: offsets.append(offsets[offsets.count - 1])
        case let .fixed(w): data.append(contentsOf: repeatElement(0, count: w))
        case .structure: for child in children { child.appendNull() }
        }
        mark(false)
    }

    @inline(__always) func appendBool(_ v: Bool) { u8.append(v ? 1 : 0); mark(true) }
    @inline(__always) func appendInt32(_ v: Int32) { i32.append(v); mark(true) }
    @inline(__always) func appendInt64(_ v: Int64) { i64.append(v); mark(true) }
    @inline(__always) func appendDouble(_ v: Double) { f64.append(v); mark(true) }
    @inline(__always) func appendInt128(_ v: Int128) { i128.append(v); mark(true) }

    @inline(__always) func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        data.append(contentsOf: bytes)
        if case let .fixed(w) = physical {
            // Callers check the width; pad or cut defensively so rows stay aligned.
            if bytes.count < w { data.append(contentsOf: repeatElement(0, count: w - bytes.count)) }
            if bytes.count > w { data.removeLast(bytes.count - w) }
        } else {
            offsets.append(data.count)
        }
        mark(true)
    }

    func appendBytes(_ bytes: [UInt8]) { bytes.withUnsafeBytes { appendBytes($0) } }

    /// Closes a list value whose elements were appended to `children[0]`.
    func closeList() { offsets.append(children[0].count); mark(true) }
    /// Closes a struct value whose fields were appended to each child.
    func closeStruct() { mark(true) }

    /// Removes the last row (a record rejected after some of its fields were appended).
    func removeLast() {
        guard count > 0 else { return }
        count -= 1
        if !valid.isEmpty { valid.removeLast() }
        switch physical {
        case .boolean: u8.removeLast()
        case .i32: i32.removeLast()
        case .i64: i64.removeLast()
        case .f64: f64.removeLast()
        case .i128: i128.removeLast()
        case .bytes:
            offsets.removeLast()
            data.removeLast(data.count - offsets[offsets.count - 1])
        case let .fixed(w): data.removeLast(w)
        case .list:
            offsets.removeLast()
            truncateChild(to: offsets[offsets.count - 1])
        case .structure: for child in children { child.removeLast() }
        }
    }

    /// Truncates to `rows` rows (undoing a partly appended record).
    func truncate(to rows: Int) {
        while count > rows { removeLast() }
    }

    private func truncateChild(to n: Int) { children[0].truncate(to: n) }

    // MARK: gathering rows from another buffer of the same type

    /// Appends the rows `rows` of `other` (same type) in that order.
    func append(from other: ColumnBuffer, rows: UnsafeBufferPointer<Int32>) {
        let start = count
        switch physical {
        case .boolean: gather(&u8, other.u8, rows)
        case .i32: gather(&i32, other.i32, rows)
        case .i64: gather(&i64, other.i64, rows)
        case .f64: gather(&f64, other.f64, rows)
        case .i128: gather(&i128, other.i128, rows)
        case .bytes:
            other.data.withUnsafeBufferPointer { src in
                other.offsets.withUnsafeBufferPointer { off in
                    var total = 0
                    for r in rows { total += off[Int(r) + 1] - off[Int(r)] }
                    data.reserveCapacity(data.count + total)
                    offsets.reserveCapacity(offsets.count + rows.count)
                    for r in rows {
                        let a = off[Int(r)], b = off[Int(r) + 1]
                        if b > a { data.append(contentsOf: UnsafeBufferPointer(rebasing: src[a..<b])) }
                        offsets.append(data.count)
                    }
                }
            }
        case let .fixed(w):
            for r in rows { data.append(contentsOf: other.data[Int(r) * w..<(Int(r) + 1) * w]) }
        case .list:
            var childRows: [Int32] = []
            for r in rows {
                let a = other.offsets[Int(r)], b = other.offsets[Int(r) + 1]
                for c in a..<b { childRows.append(Int32(c)) }
                offsets.append(offsets[offsets.count - 1] + (b - a))
            }
            childRows.withUnsafeBufferPointer { children[0].append(from: other.children[0], rows: $0) }
        case .structure:
            for (mine, theirs) in zip(children, other.children) { mine.append(from: theirs, rows: rows) }
        }
        count = start + rows.count
        if !other.valid.isEmpty || !valid.isEmpty {
            if valid.isEmpty { valid = [UInt8](repeating: 1, count: start) }
            if other.valid.isEmpty {
                valid.append(contentsOf: repeatElement(1, count: rows.count))
            } else {
                gather(&valid, other.valid, rows)
            }
        }
    }

    /// Appends every row of `other` (same type).
    func appendAll(from other: ColumnBuffer) {
        let start = count
        switch physical {
        case .boolean: u8.append(contentsOf: other.u8)
        case .i32: i32.append(contentsOf: other.i32)
        case .i64: i64.append(contentsOf: other.i64)
        case .f64: f64.append(contentsOf: other.f64)
        case .i128: i128.append(contentsOf: other.i128)
        case .bytes, .list:
            let base = offsets[offsets.count - 1]
            offsets.reserveCapacity(offsets.count + other.count)
            for i in 1..<other.offsets.count { offsets.append(base + other.offsets[i]) }
            if case .bytes = physical { data.append(contentsOf: other.data) } else { children[0].appendAll(from: other.children[0]) }
        case .fixed: data.append(contentsOf: other.data)
        case .structure:
            for (mine, theirs) in zip(children, other.children) { mine.appendAll(from: theirs) }
        }
        count = start + other.count
        if !other.valid.isEmpty || !valid.isEmpty {
            if valid.isEmpty { valid = [UInt8](repeating: 1, count: start) }
            if other.valid.isEmpty { valid.append(contentsOf: repeatElement(1, count: other.count)) } else { valid.append(contentsOf: other.valid) }
        }
    }

    @inline(__always)
    private func gather<T>(_ out: inout [T], _ src: [T], _ rows: UnsafeBufferPointer<Int32>) {
        out.reserveCapacity(out.count + rows.count)
        src.withUnsafeBufferPointer { s in
            for r in rows { out.append(s[Int(r)]) }
        }
    }

    // MARK: reading back (partition keys, sorting, tests)

    func isNull(_ row: Int) -> Bool { !valid.isEmpty && valid[row] == 0 }

    /// Bytes of value `row` of a string or binary buffer.
    func bytes(_ row: Int) -> ArraySlice<UInt8> {
        if case let .fixed(w) = physical { return data[row * w..<(row + 1) * w] }
        return data[offsets[row]..<offsets[row + 1]]
    }

    // MARK: finishing

    /// The buffered rows as a `Column` (the arrays move into it); the buffer is left empty.
    public func finish() -> Column {
        let validity: Bitmap? = valid.isEmpty || !valid.contains(0) ? nil : Self.bitmap(valid)
        let storage: Column.Storage
        switch type {
        case .boolean: storage = .boolean(u8)
        case .int8: storage = .int8(i64.map { Int8(truncatingIfNeeded: $0) })
        case .int16: storage = .int16(i64.map { Int16(truncatingIfNeeded: $0) })
        case .int32, .date32: storage = .int32(i32)
        case .uint8: storage = .uint8(i64.map { UInt8(truncatingIfNeeded: $0) })
        case .uint16: storage = .uint16(i64.map { UInt16(truncatingIfNeeded: $0) })
        case .uint32: storage = .uint32(i64.map { UInt32(truncatingIfNeeded: $0) })
        case .uint64: storage = .uint64(i64.map { UInt64(bitPattern: $0) })
        case .int64, .time, .timestamp: storage = .int64(i64)
        case let .decimal(p, _): storage = p <= 18 ? .int64(i64) : .int128(i128)
        case .float16: storage = .uint16(f64.map { Float16(Float($0)).bitPattern })
        case .float32: storage = .float32(f64.map { Float($0) })
        case .float64: storage = .float64(f64)
        case .string, .binary: storage = .bytes(offsets: offsets, data: data)
        case let .fixedBinary(w): storage = .fixedBytes(width: w, data: data)
        case .interval: storage = .fixedBytes(width: 16, data: data)
        case .list, .map: storage = .list(offsets: offsets, child: Box(children[0].finish()))
        case .structure: storage = .structure(children.map { $0.finish() })
        }
        let column = Column(type: type, count: count, validity: validity, storage: storage)
        reset()
        return column
    }

    /// Drops every row, keeping nothing (memory goes back to the allocator).
    func reset() {
        count = 0
        u8 = []; i32 = []; i64 = []; f64 = []; i128 = []
        offsets = [0]; data = []; valid = []
        for child in children { child.reset() }
    }

    static func bitmap(_ bytes: [UInt8]) -> Bitmap {
        var words = [UInt64](repeating: 0, count: (bytes.count + 63) / 64)
        bytes.withUnsafeBufferPointer { b in
            for i in 0..<b.count where b[i] != 0 { words[i >> 6] |= 1 << UInt64(i & 63) }
        }
        return Bitmap(words: words, count: bytes.count)
    }
}
