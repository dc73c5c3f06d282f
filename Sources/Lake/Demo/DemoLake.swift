import Columnar
import Parquet

/// The built-in demo sales lake of shared/spec/demo-dataset.md: schema
/// `sales` with `orders` (Hive-partitioned by year and month), `customers`,
/// `products` and `employees`, written with Basalt's Parquet writer (ZSTD).
///
/// Deterministic: values come from SplitMix64 streams of the seed, in integer
/// arithmetic, with no clock and no hash-order iteration, so the same scale
/// and seed give byte-identical files on every machine.
///
/// Atomic per table: everything is written under `<lake>/sales/_staging-*/`
/// (hidden from discovery), then each table directory is renamed into place.
public enum DemoLake {
    public static let schema = "sales"
    /// The tables, in the order they are written and reported.
    public static let tableNames = ["orders", "customers", "products", "employees"]
    /// Accepted scales: at least one line per month, at most 100 million lines.
    public static let scaleRange: ClosedRange<Double> = 0.0001...100

    /// Order lines at `scale` (1,000,000 per unit).
    public static func orderLines(scale: Double) -> Int { max(36, Int((1_000_000 * scale).rounded())) }
    /// Customers at `scale` (50,000 per unit).
    public static func customers(scale: Double) -> Int { max(1, Int((50_000 * scale).rounded())) }
    public static let products = 500
    public static let employees = 200

    public struct TableSummary: Sendable, Hashable {
        /// "sales.orders".
        public var name: String
        public var rows: Int
        public var files: Int
        public var bytes: Int
    }

    public struct Summary: Sendable, Hashable {
        /// The lake's directory (absolute).
        public var lake: String
        public var scale: Double
        public var seed: UInt64
        public var tables: [TableSummary]
        public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
        public var files: Int { tables.reduce(0) { $0 + $1.files } }
        public var bytes: Int { tables.reduce(0) { $0 + $1.bytes } }
    }

    /// Writes the demo lake into the directory `path` (created when missing).
    /// An existing non-empty demo table is `.alreadyExists` unless `force`,
    /// which replaces the four demo tables (other tables of `sales` stay).
    @discardableResult
    public static func generate(into path: String, scale: Double = 1, seed: UInt64 = 42, force: Bool = false) throws(LakeError) -> Summary {
        guard scale.isFinite, scaleRange.contains(scale) else {
            throw LakeError(.invalid, "demo scale \(scale) is outside \(scaleRange.lowerBound)...\(scaleRange.upperBound)")
        }
        let store = LocalObjectStore(root: path)
        if let file = try store.info("") {
            throw LakeError(.invalid, "\(store.root) is a file (\(file.size) bytes), not a lake directory", path: store.root)
        }
        try store.makeDirectory("")
        for table in tableNames {
            let dir = StorePath.join(schema, table)
            if !force, !(try store.list(prefix: dir)).isEmpty {
                throw LakeError(.alreadyExists, "\(store.location(of: dir)) already holds a demo table; use --force to replace the demo lake",
                                path: store.location(of: dir))
            }
        }

        let staging = Lake.stagingPath(schema: schema)
        do {
            try write(into: store, staging: staging, scale: scale, seed: seed)
            try publish(store: store, staging: staging)
        } catch {
            try? store.delete(staging)
            throw error
        }

        var summaries: [TableSummary] = []
        for table in tableNames {
            let files = try store.list(prefix: StorePath.join(schema, table)).filter { $0.path.hasSuffix(".parquet") }
            let rows = switch table {
            case "orders": orderLines(scale: scale)
            case "customers": customers(scale: scale)
            case "products": products
            default: employees
            }
            summaries.append(TableSummary(name: "\(schema).\(table)", rows: rows, files: files.count, bytes: files.reduce(0) { $0 + $1.size }))
        }
        return Summary(lake: store.root, scale: scale, seed: seed, tables: summaries)
    }

    /// Generates all four tables under `staging`.
    private static func write(into store: LocalObjectStore, staging: String, scale: Double, seed: UInt64) throws(LakeError) {
        var options = WriterOptions()
        options.codec = .zstd
        options.rowGroupRows = 100_000
        options.keyValueMetadata = ["basalt.demo": "scale=\(scale) seed=\(seed)"]

        let employees = DemoEmployees(seed: seed)
        let products = DemoProducts(seed: seed)
        let customers = DemoCustomers(count: customers(scale: scale), seed: seed)
        let orders = DemoOrders(lines: orderLines(scale: scale), customers: customers, products: products,
                                employees: employees, seed: seed)
        do {
            try orders.generate { (year, month, batch) throws(LakeError) in
                try writeFile(batch, to: StorePath.join(staging, "orders/year=\(year)/month=\(month)/part-00000.parquet"),
                              store: store, options: options)
            }
        } catch let error as LakeError {
            throw error
        } catch {
            throw LakeError(.io, "generating sales.orders: \(error)")
        }
        try writeFile(customers.batch, to: StorePath.join(staging, "customers/part-00000.parquet"), store: store, options: options)
        try writeFile(products.batch(), to: StorePath.join(staging, "products/part-00000.parquet"), store: store, options: options)
        try writeFile(employees.batch(), to: StorePath.join(staging, "employees/part-00000.parquet"), store: store, options: options)
    }

    private static func writeFile(_ batch: RecordBatch, to path: String, store: LocalObjectStore, options: WriterOptions) throws(LakeError) {
        do {
            let writer = try ParquetWriter(sink: try store.createSink(path), fields: batch.fields, options: options)
            try writer.write(batch)
            _ = try writer.close()
        } catch let error as ParquetError {
            throw LakeError(.parquet, "writing \(store.location(of: path)): \(error)", path: store.location(of: path))
        } catch let error as LakeError {
            throw error
        } catch {
            throw LakeError(.io, "writing \(store.location(of: path)): \(error)", path: store.location(of: path))
        }
    }

    /// Renames each staged table into place, moving an old one aside first.
    private static func publish(store: LocalObjectStore, staging: String) throws(LakeError) {
        let replaced = StorePath.join(schema, "_replaced-\(randomHex())")
        for table in tableNames {
            let final = StorePath.join(schema, table)
            if try store.exists(final) { try store.rename(from: final, to: StorePath.join(replaced, table)) }
            try store.rename(from: StorePath.join(staging, table), to: final)
        }
        try store.delete(replaced)
        try store.delete(staging)
    }
}
