import Columnar
import Foundation
import Lake
import Parquet
import XCTest

final class DemoLakeTests: XCTestCase {
    static let countries: [String: String] = [
        "United States": "AMER", "Canada": "AMER",
        "Mexico": "LATAM", "Brazil": "LATAM", "Argentina": "LATAM", "Chile": "LATAM",
        "Germany": "EMEA", "France": "EMEA", "United Kingdom": "EMEA", "Spain": "EMEA", "Italy": "EMEA", "Netherlands": "EMEA",
        "South Africa": "EMEA", "United Arab Emirates": "EMEA",
        "Japan": "APAC", "China": "APAC", "India": "APAC", "Australia": "APAC", "Singapore": "APAC", "South Korea": "APAC",
    ]

    func testSameScaleAndSeedGiveIdenticalBytes() throws {
        let a = try makeTemporaryDirectory(self, "demo-a"), b = try makeTemporaryDirectory(self, "demo-b")
        let c = try makeTemporaryDirectory(self, "demo-c")
        try DemoLake.generate(into: a, scale: 0.01)
        try DemoLake.generate(into: b, scale: 0.01)
        try DemoLake.generate(into: c, scale: 0.01, seed: 7)
        let files = filesUnder(a)
        XCTAssertEqual(files.count, 39)
        XCTAssertEqual(filesUnder(b), files)
        for f in files {
            XCTAssertEqual(FileManager.default.contents(atPath: a + "/" + f), FileManager.default.contents(atPath: b + "/" + f), f)
        }
        XCTAssertNotEqual(FileManager.default.contents(atPath: a + "/sales/customers/part-00000.parquet"),
                          FileManager.default.contents(atPath: c + "/sales/customers/part-00000.parquet"), "another seed, other data")
    }

    func testRefusesToOverwriteWithoutForce() throws {
        let root = try makeTemporaryDirectory(self)
        let first = try DemoLake.generate(into: root, scale: 0.001)
        let bytes = FileManager.default.contents(atPath: root + "/sales/orders/year=2023/month=7/part-00000.parquet")
        let error = try XCTUnwrap(lakeError { try DemoLake.generate(into: root, scale: 0.001) })
        XCTAssertEqual(error.kind, .alreadyExists)
        XCTAssertTrue(error.message.contains("--force"), error.message)
        try writeInts(root, "sales/other/f.parquet", [1])
        let second = try DemoLake.generate(into: root, scale: 0.001, force: true)
        XCTAssertEqual(first, second)
        XCTAssertEqual(FileManager.default.contents(atPath: root + "/sales/orders/year=2023/month=7/part-00000.parquet"), bytes)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/sales").sorted(),
                       ["customers", "employees", "orders", "other", "products"], "no staging left, other tables kept")
        XCTAssertEqual(lakeError { try DemoLake.generate(into: root, scale: 0) }?.kind, .invalid)
        XCTAssertEqual(lakeError { try DemoLake.generate(into: root, scale: .nan) }?.kind, .invalid)
    }

    func testSpecInvariants() throws {
        let root = try makeTemporaryDirectory(self)
        let summary = try DemoLake.generate(into: root, scale: 0.01)
        XCTAssertEqual(summary.tables.map(\.name), ["sales.orders", "sales.customers", "sales.products", "sales.employees"])
        XCTAssertEqual(summary.tables.map(\.rows), [10_000, 500, 500, 200])
        XCTAssertEqual(summary.tables.map(\.files), [36, 1, 1, 1])
        let lake = try Lake(path: root)
        XCTAssertEqual(try lake.tableNames().map(\.description), ["sales.customers", "sales.employees", "sales.orders", "sales.products"])

        // Employees.
        let employees = try readTable(lake, "employees")
        XCTAssertEqual(employees.fields, [
            Field("employee_id", .int64, nullable: false), Field("name", .string, nullable: false), Field("title", .string, nullable: false),
            Field("region", .string, nullable: false), Field("manager_id", .int64, nullable: true), Field("hire_date", .date32, nullable: false),
            Field("salary", .decimal(precision: 10, scale: 2), nullable: false),
        ])
        let employeeIDs = ints(employees["employee_id"])
        XCTAssertEqual(employeeIDs, Array(1...200))
        let titles = strings(employees["title"]), employeeRegion = strings(employees["region"])
        let managers = employees["manager_id"]
        for i in 0..<200 {
            XCTAssertEqual(managers.isNull(i), titles[i] == "Regional Director", "only directors lack a manager")
            if !managers.isNull(i) {
                let m = Int(ints(managers)[i]) - 1
                XCTAssertEqual(employeeRegion[m], employeeRegion[i], "managers are in the same region")
            }
        }
        XCTAssertEqual(Set(employeeRegion), ["AMER", "EMEA", "APAC", "LATAM"])
        XCTAssertEqual(titles.filter { $0 == "Regional Director" }.count, 4)

        // Products.
        let products = try readTable(lake, "products")
        XCTAssertEqual(products.fields.map(\.type), [.int64, .string, .string, .string, .string,
                                                     .decimal(precision: 10, scale: 2), .decimal(precision: 10, scale: 2)])
        let productNames = strings(products["name"])
        XCTAssertEqual(Set(productNames).count, 500, "product names are unique")
        let categories = strings(products["category"]), subcategories = strings(products["subcategory"])
        XCTAssertEqual(Set(categories), ["Electronics", "Furniture", "Office Supplies", "Clothing", "Sports"])
        for category in Set(categories) {
            let subs = Set(zip(categories, subcategories).filter { $0.0 == category }.map(\.1))
            XCTAssertTrue((3...6).contains(subs.count), "\(category) has \(subs.count) subcategories")
        }
        XCTAssertTrue(Set(subcategories).isSuperset(of: ["Laptops", "Phones", "Monitors", "Audio"]))
        let listPrice = ints(products["list_price"]), unitCost = ints(products["unit_cost"])
        XCTAssertTrue(zip(listPrice, unitCost).allSatisfy { $0 > $1 && $1 > 0 })

        // Customers.
        let customers = try readTable(lake, "customers")
        XCTAssertEqual(customers.fields.map(\.name), ["customer_id", "name", "email", "segment", "country", "region", "city", "signup_date"])
        XCTAssertEqual(customers.fields.last?.type, .date32)
        let customerCountry = strings(customers["country"]), customerRegion = strings(customers["region"])
        let signup = ints(customers["signup_date"])
        XCTAssertEqual(ints(customers["customer_id"]), Array(1...500))
        for (country, region) in zip(customerCountry, customerRegion) { XCTAssertEqual(Self.countries[country], region, country) }
        XCTAssertEqual(Set(strings(customers["segment"])), ["Consumer", "Corporate", "Small Business"])
        XCTAssertTrue(strings(customers["email"]).allSatisfy { $0.contains("@") })

        // Orders: partitions for every month, and the value rules line by line.
        let orders = try XCTUnwrap(lake.table(schema: "sales", name: "orders"))
        XCTAssertEqual(orders.partitionKeys, [Field("year", .int32, nullable: false), Field("month", .int32, nullable: false)])
        XCTAssertEqual(orders.fields.map(\.name), ["order_id", "line_no", "order_date", "ship_date", "customer_id", "product_id",
                                                   "employee_id", "channel", "region", "country", "quantity", "unit_price",
                                                   "discount", "revenue", "status", "year", "month"])
        XCTAssertEqual(orders.fields[11].type, .decimal(precision: 10, scale: 2))
        XCTAssertEqual(orders.fields[12].type, .decimal(precision: 4, scale: 2))
        XCTAssertEqual(orders.fields[13].type, .decimal(precision: 12, scale: 2))
        XCTAssertEqual(orders.rowCount, 10_000)
        XCTAssertEqual(orders.files.flatMap(\.partitionValues).count, 72)
        XCTAssertEqual(Set(orders.files.map { "\($0.partitionValues[0])-\($0.partitionValues[1])" }).count, 36)

        let asOf = CivilDate(year: 2025, month: 1, day: 1).days
        var lastOrder: Int64 = 0, lastLine: Int32 = 0
        var statuses: [String: Int] = [:]
        var linesPerYear = [0, 0, 0], q4 = [0, 0, 0], q1 = [0, 0, 0]
        // Files sort by path ("month=10" before "month=2"): take them in calendar order.
        let monthly = orders.files.map { file -> (year: Int64, month: Int64, file: DataFile) in
            guard case let .int(year) = file.partitionValues[0], case let .int(month) = file.partitionValues[1] else {
                XCTFail("untyped partition values \(file.partitionValues)")
                return (0, 0, file)
            }
            return (year, month, file)
        }.sorted { ($0.year, $0.month) < ($1.year, $1.month) }
        XCTAssertEqual(monthly.map { "\($0.year)-\($0.month)" }, (2022...2024).flatMap { y in (1...12).map { "\(y)-\($0)" } })
        for (year, month, file) in monthly {
            let parquet = try lake.open(file)
            for g in 0..<parquet.rowGroupCount {
                let b = Table(try parquet.readRowGroup(g))
                let orderID = ints(b["order_id"]), lineNo = ints(b["line_no"]), orderDate = ints(b["order_date"])
                let shipDate = b["ship_date"], status = strings(b["status"]), quantity = ints(b["quantity"])
                let unitPrice = ints(b["unit_price"]), discount = ints(b["discount"]), revenue = ints(b["revenue"])
                let customer = ints(b["customer_id"]), product = ints(b["product_id"]), employee = ints(b["employee_id"])
                let region = strings(b["region"]), country = strings(b["country"]), channel = strings(b["channel"])
                for i in 0..<b.rowCount {
                    let date = CivilDate(days: Int32(orderDate[i]))
                    XCTAssertEqual(Int64(date.year), year)
                    XCTAssertEqual(Int64(date.month), month)
                    // Order ids follow dates; lines count from 1 within an order, at most 5.
                    if orderID[i] == lastOrder {
                        XCTAssertEqual(Int32(lineNo[i]), lastLine + 1)
                    } else {
                        XCTAssertEqual(orderID[i], lastOrder + 1)
                        XCTAssertEqual(lineNo[i], 1)
                    }
                    XCTAssertLessThanOrEqual(lineNo[i], 5)
                    lastOrder = orderID[i]
                    lastLine = Int32(lineNo[i])
                    statuses[status[i], default: 0] += 1
                    let unshipped = status[i] == "Pending" || status[i] == "Cancelled"
                    XCTAssertEqual(shipDate.isNull(i), unshipped, "ship_date NULL exactly for Pending and Cancelled")
                    if !shipDate.isNull(i) {
                        let delay = ints(shipDate)[i] - orderDate[i]
                        XCTAssertTrue((0...14).contains(delay))
                        XCTAssertLessThan(ints(shipDate)[i], Int64(asOf))
                    }
                    XCTAssertTrue((1...20).contains(quantity[i]))
                    XCTAssertTrue((0...30).contains(discount[i]))
                    // revenue = round(quantity * unit_price * (1 - discount), 2), in cents.
                    XCTAssertEqual(revenue[i], (quantity[i] * unitPrice[i] * (100 - discount[i]) + 50) / 100)
                    XCTAssertTrue(["Online", "Retail", "Partner"].contains(channel[i]))
                    let c = Int(customer[i]) - 1
                    XCTAssertEqual(country[i], customerCountry[c])
                    XCTAssertEqual(region[i], customerRegion[c])
                    XCTAssertLessThanOrEqual(signup[c], orderDate[i], "signed up before ordering")
                    XCTAssertEqual(employeeRegion[Int(employee[i]) - 1], region[i], "the salesperson sells in the customer's region")
                    XCTAssertTrue(["Sales Representative", "Account Manager"].contains(titles[Int(employee[i]) - 1]))
                    XCTAssertTrue((1...500).contains(product[i]))
                    if year == 2024 { XCTAssertEqual(unitPrice[i], listPrice[Int(product[i]) - 1], "2024 orders at the list price") }
                    XCTAssertLessThanOrEqual(unitPrice[i], listPrice[Int(product[i]) - 1])
                    linesPerYear[Int(year) - 2022] += 1
                    if month >= 10 { q4[Int(year) - 2022] += 1 }
                    if month <= 3 { q1[Int(year) - 2022] += 1 }
                }
            }
        }
        XCTAssertEqual(Set(statuses.keys), ["Delivered", "Shipped", "Pending", "Cancelled", "Returned"])
        XCTAssertLessThan(linesPerYear[0], linesPerYear[1], "growth year over year")
        XCTAssertLessThan(linesPerYear[1], linesPerYear[2], "growth year over year")
        for y in 0..<3 { XCTAssertGreaterThan(q4[y], q1[y], "Q4 is busier") }
    }

    /// One file's columns by name.
    struct Table {
        let batch: RecordBatch
        init(_ batch: RecordBatch) { self.batch = batch }
        var fields: [Field] { batch.fields }
        var rowCount: Int { batch.rowCount }
        subscript(_ name: String) -> Column {
            guard let i = batch.fields.firstIndex(where: { $0.name == name }) else { fatalError("no column \(name)") }
            return batch.columns[i]
        }
    }

    private func readTable(_ lake: Lake, _ name: String) throws -> Table {
        let t = try XCTUnwrap(lake.table(schema: "sales", name: name))
        XCTAssertEqual(t.files.count, 1)
        let file = try lake.open(t.files[0])
        XCTAssertEqual(file.rowGroupCount, 1)
        return Table(try file.readRowGroup(0))
    }
}
