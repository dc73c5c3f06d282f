import Columnar

/// Small builders from generated values to `Column`s in the layouts the
/// Parquet writer takes: integers and dates flat, decimals as unscaled Int64,
/// strings as offsets and bytes.
enum DemoColumns {
    static func int64(_ values: [Int64]) -> Column {
        Column(type: .int64, count: values.count, validity: nil, storage: .int64(values))
    }

    /// Int64 values, nil for NULL.
    static func int64(_ values: [Int64?]) -> Column {
        Column(type: .int64, count: values.count, validity: validity(values), storage: .int64(values.map { $0 ?? 0 }))
    }

    static func int32(_ values: [Int32]) -> Column {
        Column(type: .int32, count: values.count, validity: nil, storage: .int32(values))
    }

    /// Days since 1970-01-01.
    static func date(_ values: [Int32]) -> Column {
        Column(type: .date32, count: values.count, validity: nil, storage: .int32(values))
    }

    /// Days since 1970-01-01, nil for NULL.
    static func date(_ values: [Int32?]) -> Column {
        Column(type: .date32, count: values.count, validity: validity(values), storage: .int32(values.map { $0 ?? 0 }))
    }

    /// Unscaled values (cents for scale 2).
    static func decimal(precision: Int, scale: Int, _ values: [Int64]) -> Column {
        Column(type: .decimal(precision: precision, scale: scale), count: values.count, validity: nil, storage: .int64(values))
    }

    private static func validity<T>(_ values: [T?]) -> Bitmap? {
        values.contains { $0 == nil } ? Bitmap(values.lazy.map { $0 != nil }) : nil
    }
}

/// A string column being filled: UTF-8 bytes and offsets.
struct StringColumnBuilder {
    private var offsets: [Int] = [0]
    private var data: [UInt8] = []

    init(capacity: Int = 0) {
        offsets.reserveCapacity(capacity + 1)
    }

    mutating func append(_ value: String) {
        data.append(contentsOf: value.utf8)
        offsets.append(data.count)
    }

    var count: Int { offsets.count - 1 }

    func column() -> Column {
        Column(type: .string, count: count, validity: nil, storage: .bytes(offsets: offsets, data: data))
    }
}
