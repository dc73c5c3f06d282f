import Columnar

/// sales.orders: one row per order line, generated day by day from
/// 2022-01-01 to 2024-12-31 so that order ids follow order dates, and
/// written one file per month (`year=Y/month=M/`).
///
/// Volumes: the total number of lines is split over the 36 months in
/// proportion to the days' weights (growth, season, weekday; see
/// `DemoCalendar`), every month getting at least one line; inside a month,
/// orders are placed on each day until the month's running total reaches
/// the day's share. An order has 1 to 5 lines (the month's last order is cut
/// to land on its total exactly).
///
/// Per order: a customer who had signed up by then, a salesperson of the
/// customer's region hired by then, a channel, and a status with its ship
/// date: Cancelled (3%) or not shipped by 2025-01-01 (Pending) leaves
/// ship_date NULL; otherwise it ships 0..14 days after the order and is
/// Shipped when that was in the last 4 days, else Delivered, and each line
/// of a delivered order is Returned with 4% probability. Per line: a product
/// by popularity (distinct within the order), a quantity 1..20 (mostly
/// small), a discount of 0.00..0.30, the list price of the order's year,
/// and revenue = round(quantity * unit_price * (1 - discount), 2).
struct DemoOrders {
    static let fields = [
        Field("order_id", .int64, nullable: false),
        Field("line_no", .int32, nullable: false),
        Field("order_date", .date32, nullable: false),
        Field("ship_date", .date32, nullable: true),
        Field("customer_id", .int64, nullable: false),
        Field("product_id", .int64, nullable: false),
        Field("employee_id", .int64, nullable: false),
        Field("channel", .string, nullable: false),
        Field("region", .string, nullable: false),
        Field("country", .string, nullable: false),
        Field("quantity", .int32, nullable: false),
        Field("unit_price", .decimal(precision: 10, scale: 2), nullable: false),
        Field("discount", .decimal(precision: 4, scale: 2), nullable: false),
        Field("revenue", .decimal(precision: 12, scale: 2), nullable: false),
        Field("status", .string, nullable: false),
    ]

    /// Lines per order, 1 to 5.
    static let lineWeights = [36, 26, 18, 12, 8]
    /// Quantities 1 to 20.
    static let quantityWeights = [300, 220, 140, 90, 60, 40, 30, 22, 18, 15, 10, 8, 7, 6, 5, 5, 4, 4, 3, 3]
    /// Discounts in hundredths.
    static let discounts: [Int64] = [0, 5, 10, 15, 20, 25, 30]
    static let discountWeights = [55, 15, 12, 8, 6, 2, 2]
    /// Days from order to shipment, 0 to 14.
    static let shipDelayWeights = [4, 14, 20, 18, 13, 9, 7, 5, 3, 2, 2, 1, 1, 1, 1]

    let lines: Int
    let customers: DemoCustomers
    let products: DemoProducts
    let employees: DemoEmployees
    let seed: UInt64

    /// Generates every month in order, handing each month's lines to `emit`.
    func generate(_ emit: (_ year: Int, _ month: Int, _ batch: RecordBatch) throws -> Void) rethrows {
        var random = DemoRandom(seed: seed, stream: 4)
        let lineCount = WeightedChoice(Self.lineWeights)
        let quantity = WeightedChoice(Self.quantityWeights)
        let discount = WeightedChoice(Self.discountWeights)
        let channel = WeightedChoice(DemoVocabulary.channelWeights)
        let shipDelay = WeightedChoice(Self.shipDelayWeights)
        let regionIndex = DemoVocabulary.countries.map { DemoVocabulary.regions.firstIndex(of: $0.region)! }

        // Day weights, and each month's share of the lines.
        var monthDays: [[Int32]] = []
        var monthWeights: [Int] = []
        for (year, month) in DemoCalendar.months {
            let first = DemoCalendar.day(year, month, 1)
            let days = (0..<CivilDate.daysInMonth(year: year, month: month)).map { first + Int32($0) }
            monthDays.append(days)
            monthWeights.append(days.reduce(0) { $0 + DemoCalendar.weight($1) })
        }
        let monthLines = DemoCalendar.apportion(lines, weights: monthWeights, minimum: 1)

        var orderID: Int64 = 0
        var eligibleCustomers = 0
        var eligibleSellers = [Int](repeating: 0, count: DemoVocabulary.regions.count)
        for (m, (year, month)) in DemoCalendar.months.enumerated() {
            var batch = MonthBatch(capacity: monthLines[m])
            let monthTotal = monthLines[m]
            var cumulativeWeight = 0
            for day in monthDays[m] {
                cumulativeWeight += DemoCalendar.weight(day)
                let target = day == monthDays[m].last! ? monthTotal : monthTotal * cumulativeWeight / monthWeights[m]
                while eligibleCustomers < customers.count && customers.signup[eligibleCustomers] <= day { eligibleCustomers += 1 }
                for r in eligibleSellers.indices {
                    let sellers = employees.sellersByRegion[r]
                    while eligibleSellers[r] < sellers.count && employees.employees[sellers[eligibleSellers[r]]].hireDate <= day {
                        eligibleSellers[r] += 1
                    }
                }
                while batch.count < target {
                    orderID += 1
                    let customer = random.below(max(1, eligibleCustomers))
                    let place = DemoVocabulary.countries[Int(customers.country[customer])]
                    let region = regionIndex[Int(customers.country[customer])]
                    let sellers = employees.sellersByRegion[region]
                    let seller = sellers[random.below(max(1, eligibleSellers[region]))]
                    let orderChannel = DemoVocabulary.channels[channel.sample(&random)]

                    var status: String
                    var shipDate: Int32?
                    if random.chance(percent: 3) {
                        status = "Cancelled"
                    } else {
                        let shipped = day + Int32(shipDelay.sample(&random))
                        if shipped >= DemoCalendar.asOf {
                            status = "Pending"
                        } else {
                            shipDate = shipped
                            status = DemoCalendar.asOf - shipped <= 4 ? "Shipped" : "Delivered"
                        }
                    }

                    let count = min(lineCount.sample(&random) + 1, monthTotal - batch.count)
                    var chosen: [Int] = []
                    for lineNo in 1...count {
                        var product = products.popularity.sample(&random)
                        var attempts = 0
                        while chosen.contains(product) && attempts < 8 {
                            product = products.popularity.sample(&random)
                            attempts += 1
                        }
                        chosen.append(product)
                        let p = products.products[product]
                        let q = Int64(quantity.sample(&random) + 1)
                        let d = Self.discounts[discount.sample(&random)]
                        let unitPrice = (p.listPrice * Int64(DemoCalendar.priceLevel[year - DemoCalendar.firstYear]) + 50) / 100
                        // q * cents * (100 - d) is in 1/10000 of the currency: round half up to cents.
                        let revenue = (q * unitPrice * (100 - d) + 50) / 100
                        let lineStatus = status == "Delivered" && random.chance(percent: 4) ? "Returned" : status
                        batch.append(orderID: orderID, lineNo: Int32(lineNo), orderDate: day, shipDate: shipDate,
                                     customerID: Int64(customer + 1), productID: p.id, employeeID: employees.employees[seller].id,
                                     channel: orderChannel, region: place.region, country: place.name, quantity: Int32(q),
                                     unitPrice: unitPrice, discount: d, revenue: revenue, status: lineStatus)
                    }
                }
            }
            try emit(year, month, batch.recordBatch())
        }
    }
}

/// One month's order lines, column by column.
private struct MonthBatch {
    var orderID: [Int64] = [], lineNo: [Int32] = [], orderDate: [Int32] = [], shipDate: [Int32?] = []
    var customerID: [Int64] = [], productID: [Int64] = [], employeeID: [Int64] = []
    var channel = StringColumnBuilder(), region = StringColumnBuilder(), country = StringColumnBuilder()
    var quantity: [Int32] = [], unitPrice: [Int64] = [], discount: [Int64] = [], revenue: [Int64] = []
    var status = StringColumnBuilder()

    init(capacity: Int) {
        orderID.reserveCapacity(capacity)
        orderDate.reserveCapacity(capacity)
        revenue.reserveCapacity(capacity)
    }

    var count: Int { orderID.count }

    mutating func append(orderID o: Int64, lineNo l: Int32, orderDate od: Int32, shipDate sd: Int32?, customerID c: Int64,
                         productID p: Int64, employeeID e: Int64, channel ch: String, region r: String, country co: String,
                         quantity q: Int32, unitPrice u: Int64, discount d: Int64, revenue rv: Int64, status s: String) {
        orderID.append(o); lineNo.append(l); orderDate.append(od); shipDate.append(sd)
        customerID.append(c); productID.append(p); employeeID.append(e)
        channel.append(ch); region.append(r); country.append(co)
        quantity.append(q); unitPrice.append(u); discount.append(d); revenue.append(rv)
        status.append(s)
    }

    func recordBatch() -> RecordBatch {
        RecordBatch(fields: DemoOrders.fields, columns: [
            DemoColumns.int64(orderID), DemoColumns.int32(lineNo), DemoColumns.date(orderDate), DemoColumns.date(shipDate),
            DemoColumns.int64(customerID), DemoColumns.int64(productID), DemoColumns.int64(employeeID),
            channel.column(), region.column(), country.column(), DemoColumns.int32(quantity),
            DemoColumns.decimal(precision: 10, scale: 2, unitPrice), DemoColumns.decimal(precision: 4, scale: 2, discount),
            DemoColumns.decimal(precision: 12, scale: 2, revenue), status.column(),
        ], rowCount: count)
    }
}
