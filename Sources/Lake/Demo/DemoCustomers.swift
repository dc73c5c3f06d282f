import Columnar

/// sales.customers: 50,000 per unit of scale. Sign-up dates run from 2018 to
/// the end of 2024 and customer ids follow them, so the customers who may
/// place an order on a day are a prefix of the ids (orders only pick those:
/// a customer's sign-up is on or before their first order). Consumers are
/// people; Corporate and Small Business customers are companies.
struct DemoCustomers {
    let count: Int
    /// Per customer: index into `DemoVocabulary.countries`.
    private(set) var country: [UInt8] = []
    /// Per customer: days since 1970-01-01, ascending.
    private(set) var signup: [Int32] = []
    let batch: RecordBatch

    static let firstSignup = DemoCalendar.day(2018, 1, 1)

    init(count: Int, seed: UInt64) {
        self.count = count
        var random = DemoRandom(seed: seed, stream: 3)
        var days = (0..<count).map { _ in Int32(random.inRange(Int(Self.firstSignup)...Int(DemoCalendar.lastDay))) }
        days.sort()
        // Someone must be able to order on the first day.
        if days[0] >= DemoCalendar.firstDay { days[0] = DemoCalendar.firstDay - 1 }
        signup = days

        let countries = WeightedChoice(DemoVocabulary.countries.map(\.weight))
        let segments = WeightedChoice(DemoVocabulary.segmentWeights)
        var name = StringColumnBuilder(capacity: count), email = StringColumnBuilder(capacity: count),
            segment = StringColumnBuilder(capacity: count), countryColumn = StringColumnBuilder(capacity: count),
            region = StringColumnBuilder(capacity: count), city = StringColumnBuilder(capacity: count)
        country.reserveCapacity(count)
        for i in 0..<count {
            let id = i + 1
            let c = countries.sample(&random)
            let place = DemoVocabulary.countries[c]
            let s = segments.sample(&random)
            country.append(UInt8(c))
            if s == 0 {
                let first = random.pick(DemoVocabulary.firstNames), last = random.pick(DemoVocabulary.lastNames)
                name.append("\(first) \(last)")
                email.append("\(Self.slug(first)).\(Self.slug(last)).\(id)@example.com")
            } else {
                let head = random.chance(percent: 60) ? random.pick(DemoVocabulary.companyWords) : random.pick(DemoVocabulary.lastNames)
                let noun = random.pick(DemoVocabulary.companyNouns)
                name.append("\(head) \(noun) \(random.pick(DemoVocabulary.companySuffixes))")
                email.append("contact.\(id)@\(Self.slug(head))\(Self.slug(noun)).example.com")
            }
            segment.append(DemoVocabulary.segments[s])
            countryColumn.append(place.name)
            region.append(place.region)
            city.append(random.pick(place.cities))
        }
        batch = RecordBatch(fields: Self.fields, columns: [
            DemoColumns.int64((0..<count).map { Int64($0 + 1) }), name.column(), email.column(), segment.column(),
            countryColumn.column(), region.column(), city.column(), DemoColumns.date(days),
        ], rowCount: count)
    }

    /// Lower-case letters and digits only ("Al Mansouri" → "almansouri").
    static func slug(_ text: String) -> String {
        String(String.UnicodeScalarView(text.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }))
    }

    static let fields = [
        Field("customer_id", .int64, nullable: false),
        Field("name", .string, nullable: false),
        Field("email", .string, nullable: false),
        Field("segment", .string, nullable: false),
        Field("country", .string, nullable: false),
        Field("region", .string, nullable: false),
        Field("city", .string, nullable: false),
        Field("signup_date", .date32, nullable: false),
    ]
}
