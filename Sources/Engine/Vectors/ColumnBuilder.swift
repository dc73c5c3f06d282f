import Columnar

/// Builds a canonical column value by value (constants, VALUES, row-wise
/// functions). Hot paths build their buffers directly instead.
struct ColumnBuilder {
    let type: DataType
    private var validity: [Bool] = []
    private var hasNull = false
    private var bools: [UInt8] = []
    private var i16: [Int16] = []
    private var i32: [Int32] = []
    private var i64: [Int64] = []
    private var i128: [Int128] = []
    private var f32: [Float] = []
    private var f64: [Double] = []
    private var offsets: [Int] = [0]
    private var data: [UInt8] = []
    private var fixed: [UInt8] = []

    init(type: DataType, capacity: Int = 0) {
        self.type = type
        validity.reserveCapacity(capacity)
    }

    var count: Int { validity.count }

    mutating func append(_ value: Value) {
        let present = !value.isNull
        validity.append(present)
        if !present { hasNull = true }
        switch Self.storageKind(type) {
        case .boolean:
            if case let .boolean(b) = value { bools.append(b ? 1 : 0) } else { bools.append(0) }
        case .int16: i16.append(Int16(truncatingIfNeeded: value.intValue))
        case .int32: i32.append(Int32(truncatingIfNeeded: value.intValue))
        case .int64: i64.append(value.intValue)
        case .int128:
            if case let .decimal(d) = value { i128.append(d) } else { i128.append(Int128(value.intValue)) }
        case .float32: f32.append(Float(value.doubleValue))
        case .float64: f64.append(value.doubleValue)
        case .bytes:
            switch value {
            case let .string(s): data.append(contentsOf: s.utf8)
            case let .bytes(b): data.append(contentsOf: b)
            default: break
            }
            offsets.append(data.count)
        case .interval:
            let iv: Interval = if case let .interval(x) = value { x } else { Interval(months: 0, days: 0, microseconds: 0) }
            Self.appendInterval(iv, to: &fixed)
        }
    }

    mutating func appendNull() { append(.null) }

    func finish() -> Column {
        let n = validity.count
        let bitmap = hasNull ? Bitmap(validity) : nil
        let storage: Column.Storage
        switch Self.storageKind(type) {
        case .boolean: storage = .boolean(bools)
        case .int16: storage = .int16(i16)
        case .int32: storage = .int32(i32)
        case .int64: storage = .int64(i64)
        case .int128: storage = .int128(i128)
        case .float32: storage = .float32(f32)
        case .float64: storage = .float64(f64)
        case .bytes: storage = .bytes(offsets: offsets, data: data)
        case .interval: storage = .fixedBytes(width: 16, data: fixed)
        }
        return Column(type: type, count: n, validity: bitmap, storage: storage)
    }

    enum StorageKind { case boolean, int16, int32, int64, int128, float32, float64, bytes, interval }

    static func appendInterval(_ iv: Interval, to out: inout [UInt8]) {
        withUnsafeBytes(of: iv.months.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: iv.days.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: iv.microseconds.littleEndian) { out.append(contentsOf: $0) }
    }

    static func storageKind(_ type: DataType) -> StorageKind {
        switch type {
        case .boolean: .boolean
        case .int8, .int16, .uint8: .int16
        case .int32, .date32, .uint16: .int32
        case .int64, .time, .timestamp, .uint32: .int64
        case let .decimal(p, _): p <= 18 ? .int64 : .int128
        case .uint64: .int128
        case .float16, .float32: .float32
        case .float64: .float64
        case .string, .binary, .fixedBinary, .list, .structure, .map: .bytes
        case .interval: .interval
        }
    }

    /// A column of `count` copies of `value`.
    static func constant(_ value: Value, type: DataType, count: Int) -> Column {
        let validity: Bitmap? = value.isNull ? Bitmap(repeating: false, count: count) : nil
        let storage: Column.Storage
        switch storageKind(type) {
        case .boolean: storage = .boolean(Array(repeating: value.boolValue ? 1 : 0, count: count))
        case .int16: storage = .int16(Array(repeating: Int16(truncatingIfNeeded: value.intValue), count: count))
        case .int32: storage = .int32(Array(repeating: Int32(truncatingIfNeeded: value.intValue), count: count))
        case .int64: storage = .int64(Array(repeating: value.intValue, count: count))
        case .int128:
            let v: Int128 = if case let .decimal(d) = value { d } else { Int128(value.intValue) }
            storage = .int128(Array(repeating: v, count: count))
        case .float32: storage = .float32(Array(repeating: Float(value.doubleValue), count: count))
        case .float64: storage = .float64(Array(repeating: value.doubleValue, count: count))
        case .interval:
            var one: [UInt8] = []
            appendInterval(value.intervalValue, to: &one)
            var all: [UInt8] = []
            all.reserveCapacity(16 * count)
            for _ in 0..<count { all.append(contentsOf: one) }
            storage = .fixedBytes(width: 16, data: all)
        case .bytes:
            let bytes: [UInt8] = switch value {
            case let .string(s): Array(s.utf8)
            case let .bytes(b): b
            default: []
            }
            // One dictionary entry repeated: no copy of the bytes per row.
            let dict = Column(type: type, count: 1, validity: nil, storage: .bytes(offsets: [0, bytes.count], data: bytes))
            storage = .dictionary(indices: Array(repeating: 0, count: count), dictionary: Box(dict))
        }
        return Column(type: type, count: count, validity: validity, storage: storage)
    }
}

extension Value {
    var intValue: Int64 {
        switch self {
        case let .int(v): v
        case let .boolean(b): b ? 1 : 0
        case let .double(d): d.isFinite && abs(d) < 9.2e18 ? Int64(d) : 0
        case let .decimal(d): Int64(truncatingIfNeeded: d)
        default: 0
        }
    }

    var doubleValue: Double {
        switch self {
        case let .double(d): d
        case let .int(v): Double(v)
        case let .decimal(d): Double(d)
        default: 0
        }
    }

    var intervalValue: Interval {
        if case let .interval(iv) = self { return iv }
        return Interval(months: 0, days: 0, microseconds: 0)
    }

    var boolValue: Bool {
        if case let .boolean(b) = self { return b }
        return false
    }
}
