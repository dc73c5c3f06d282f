import Columnar

/// sales.employees: 200 people in four regional teams. Each region has a
/// Regional Director (no manager), Sales Managers reporting to the director,
/// and Account Managers and Sales Representatives reporting to a manager.
/// The last two sell: orders name one of them as their salesperson.
struct DemoEmployees {
    struct Employee {
        var id: Int64
        var name: String
        var title: String
        var region: String
        var managerID: Int64?
        var hireDate: Int32
        /// Cents.
        var salary: Int64
    }

    static let headcount = [64, 64, 44, 28]  // AMER, EMEA, APAC, LATAM: 200
    static let managers = [5, 5, 4, 3]

    private(set) var employees: [Employee] = []
    /// Per region (in `DemoVocabulary.regions` order): indices into
    /// `employees` of its salespeople, by hire date.
    private(set) var sellersByRegion: [[Int]] = []

    init(seed: UInt64) {
        var random = DemoRandom(seed: seed, stream: 1)
        for (r, region) in DemoVocabulary.regions.enumerated() {
            let count = Self.headcount[r]
            let managerCount = Self.managers[r]
            let accountManagers = (count - 1 - managerCount) * 3 / 10
            var sellers: [Int] = []
            func add(_ title: String, manager: Int64?, hired: ClosedRange<Int32>, salary: ClosedRange<Int>) -> Int64 {
                let id = Int64(employees.count + 1)
                let name = "\(random.pick(DemoVocabulary.firstNames)) \(random.pick(DemoVocabulary.lastNames))"
                let hireDate = Int32(random.inRange(Int(hired.lowerBound)...Int(hired.upperBound)))
                // Salaries in steps of 250.00.
                let salary = Int64(random.inRange(salary.lowerBound / 250...salary.upperBound / 250)) * 250 * 100
                employees.append(Employee(id: id, name: name, title: title, region: region, managerID: manager,
                                          hireDate: hireDate, salary: salary))
                return id
            }
            let director = add("Regional Director", manager: nil, hired: DemoCalendar.day(2010, 1, 1)...DemoCalendar.day(2016, 12, 31),
                               salary: 180_000...240_000)
            var managerIDs: [Int64] = []
            for _ in 0..<managerCount {
                managerIDs.append(add("Sales Manager", manager: director, hired: DemoCalendar.day(2012, 1, 1)...DemoCalendar.day(2019, 12, 31),
                                      salary: 110_000...150_000))
            }
            for i in 0..<(count - 1 - managerCount) {
                let accountManager = i < accountManagers
                // The region's first salespeople were there before the first order.
                let hired = i < 2 ? DemoCalendar.day(2014, 1, 1)...DemoCalendar.day(2019, 12, 31)
                    : DemoCalendar.day(2014, 1, 1)...DemoCalendar.day(2023, 6, 30)
                _ = add(accountManager ? "Account Manager" : "Sales Representative", manager: random.pick(managerIDs),
                        hired: hired, salary: accountManager ? 75_000...110_000 : 50_000...80_000)
                sellers.append(employees.count - 1)
            }
            sellers.sort { (employees[$0].hireDate, $0) < (employees[$1].hireDate, $1) }
            sellersByRegion.append(sellers)
        }
    }

    static let fields = [
        Field("employee_id", .int64, nullable: false),
        Field("name", .string, nullable: false),
        Field("title", .string, nullable: false),
        Field("region", .string, nullable: false),
        Field("manager_id", .int64, nullable: true),
        Field("hire_date", .date32, nullable: false),
        Field("salary", .decimal(precision: 10, scale: 2), nullable: false),
    ]

    func batch() -> RecordBatch {
        var name = StringColumnBuilder(), title = StringColumnBuilder(), region = StringColumnBuilder()
        for e in employees {
            name.append(e.name)
            title.append(e.title)
            region.append(e.region)
        }
        return RecordBatch(fields: Self.fields, columns: [
            DemoColumns.int64(employees.map(\.id)), name.column(), title.column(), region.column(),
            DemoColumns.int64(employees.map(\.managerID)), DemoColumns.date(employees.map(\.hireDate)),
            DemoColumns.decimal(precision: 10, scale: 2, employees.map(\.salary)),
        ], rowCount: employees.count)
    }
}
