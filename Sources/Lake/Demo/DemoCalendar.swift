/// The demo's time frame: orders from 2022-01-01 to 2024-12-31, seen as of
/// 2025-01-01 (what decides which recent orders are still pending), with
/// seasonality (Q4 busier), growth year over year and quieter weekends.
enum DemoCalendar {
    static let firstYear = 2022
    static let lastYear = 2024
    static let firstDay = day(2022, 1, 1)
    static let lastDay = day(2024, 12, 31)
    /// The day the data is a snapshot of: nothing ships on or after it.
    static let asOf = day(2025, 1, 1)

    /// Relative volume per year (2022, 2023, 2024): +25%, then +20%.
    static let growth = [100, 125, 150]
    /// Relative volume per month, January first: Q4 is the busiest.
    static let season = [85, 80, 90, 92, 95, 92, 90, 95, 100, 110, 130, 150]
    /// Relative volume per weekday, Sunday first.
    static let weekday = [70, 100, 100, 100, 100, 100, 80]
    /// A list price this year, in percent of the current (2024) list price.
    static let priceLevel = [92, 96, 100]

    static func day(_ year: Int, _ month: Int, _ day: Int) -> Int32 {
        CivilDate(year: year, month: month, day: day).days
    }

    /// The relative order volume of one day.
    static func weight(_ d: Int32) -> Int {
        let date = CivilDate(days: d)
        let weekdayIndex = Int((Int64(d) % 7 + 7 + 4) % 7)  // 1970-01-01 was a Thursday
        return growth[date.year - firstYear] * season[date.month - 1] * weekday[weekdayIndex]
    }

    /// The months of the period in order, as (year, month).
    static var months: [(year: Int, month: Int)] {
        (firstYear...lastYear).flatMap { y in (1...12).map { (y, $0) } }
    }

    /// Splits `total` over `weights` in proportion (largest remainders, ties to
    /// the earlier slot), giving every slot at least `minimum` when the total allows.
    static func apportion(_ total: Int, weights: [Int], minimum: Int = 0) -> [Int] {
        let sum = weights.reduce(0, +)
        var shares = weights.map { total * $0 / sum }
        let remainders = weights.enumerated().map { (index: $0.offset, rest: total * $0.element % sum) }
        var left = total - shares.reduce(0, +)
        for r in remainders.sorted(by: { ($0.rest, -$0.index) > ($1.rest, -$1.index) }) where left > 0 {
            shares[r.index] += 1
            left -= 1
        }
        if total >= minimum * weights.count {
            for i in shares.indices where shares[i] < minimum {
                let donor = shares.indices.max { shares[$0] < shares[$1] }!
                let moved = minimum - shares[i]
                shares[donor] -= moved
                shares[i] += moved
            }
        }
        return shares
    }
}
