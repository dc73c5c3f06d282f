import Columnar

/// Calendar arithmetic on days since 1970-01-01 and microseconds since
/// 1970-01-01 00:00:00 (proleptic Gregorian, no leap seconds).
enum DateTime {
    static let microsPerDay: Int64 = 86_400_000_000

    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        // Howard Hinnant's days_from_civil.
        // Wrapping arithmetic: absurd years give absurd days, never a trap.
        let y = month <= 2 ? year &- 1 : year
        let era = (y >= 0 ? y : y &- 399) / 400
        let yoe = y &- era &* 400
        let mp = (month &+ 9) % 12
        let doy = (153 &* mp &+ 2) / 5 &+ day &- 1
        let doe = yoe &* 365 &+ yoe / 4 &- yoe / 100 &+ doy
        return era &* 146_097 &+ doe &- 719_468
    }

    static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
        switch m {
        case 2: isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// PostgreSQL's error for unreadable date text: out of range (22008) when it has the shape
    /// of a date, invalid syntax (22007) otherwise.
    static func dateError(_ text: String, type: String) -> EngineError {
        let t = text.trimmingSpaces
        let head = t.split(separator: " ").first.map(String.init) ?? t
        let parts = head.split(separator: "-")
        if parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            return EngineError("22008", "date/time field value out of range: \"\(text)\"", hint: "Perhaps you need a different \"datestyle\" setting.")
        }
        let shown = type == "timestamp without time zone" ? "timestamp" : type
        return EngineError("22007", "invalid input syntax for type \(shown): \"\(text)\"")
    }

    /// `YYYY-MM-DD` (also `YYYY-M-D`).
    static func parseDate(_ text: String) -> Int32? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        // Years as far as timestamps reach (PostgreSQL's timestamp range), so any parsed date converts.
        guard parts.count == 3, let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2].prefix(2)),
              parts[2].count <= 2, (-4713...294_276).contains(y), (1...12).contains(m), d >= 1, d <= daysInMonth(y, m) else { return nil }
        return Int32(exactly: days(year: y, month: m, day: d))
    }

    /// `YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]][Z|±HH[:MM]]` → microseconds (offsets applied, giving UTC).
    static func parseTimestamp(_ text: String) -> Int64? {
        let t = text.replacingFirst("T", with: " ")
        let pieces = t.split(separator: " ", maxSplits: 1)
        guard let head = pieces.first, let date = parseDate(String(head)) else { return nil }
        var micros = Int64(date) * microsPerDay
        if pieces.count == 2 {
            var rest = Substring(pieces[1])
            var offset: Int64 = 0
            if rest.hasSuffix("Z") || rest.hasSuffix("z") { rest = rest.dropLast() }
            if let signIndex = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
                let sign: Int64 = rest[signIndex] == "-" ? -1 : 1
                let tz = rest[rest.index(after: signIndex)...].split(separator: ":")
                guard let h = tz.first.flatMap({ Int64($0) }), (0...15).contains(h) else { return nil }
                let m = tz.count > 1 ? Int64(tz[1]) ?? 0 : 0
                guard (0...59).contains(m) else { return nil }
                offset = sign * (h * 3600 + m * 60) * 1_000_000
                rest = rest[..<signIndex]
            }
            guard let time = parseTime(String(rest)) else { return nil }
            micros += time - offset
        }
        return micros
    }

    /// `HH:MM[:SS[.ffffff]]` → microseconds since midnight.
    static func parseTime(_ text: String) -> Int64? {
        let f = text.split(separator: ":")
        guard f.count >= 2, let h = Int64(f[0]), let m = Int64(f[1]), (0...24).contains(h), (0...59).contains(m) else { return nil }
        var micros = (h * 3600 + m * 60) * 1_000_000
        if f.count == 3 {
            let sec = f[2].split(separator: ".", maxSplits: 1)
            guard let first = sec.first, let s = Int64(first), (0...60).contains(s) else { return nil }
            micros += s * 1_000_000
            if sec.count == 2 {
                var frac = String(sec[1].prefix(6))
                guard Int64(frac) != nil else { return nil }
                while frac.count < 6 { frac += "0" }
                micros += Int64(frac)!
            }
        }
        return micros
    }

    /// Adds an interval to a timestamp: months first (clamping the day), then days, then microseconds.
    static func add(_ interval: Interval, toMicros t: Int64) -> Int64 {
        var days = Cast.floorDiv(t, microsPerDay)
        let timeOfDay = t &- days &* microsPerDay
        if interval.months != 0 {
            let (y, m, d) = ValueText.civil(fromDays: days)
            var total = y &* 12 &+ (m - 1) &+ Int64(interval.months)
            let ny = Cast.floorDiv(total, 12)
            total -= ny * 12
            let nm = total + 1
            days = DateTime.days(year: ny, month: nm, day: min(d, daysInMonth(ny, nm)))
        }
        days &+= Int64(interval.days)
        return days &* microsPerDay &+ timeOfDay &+ interval.microseconds
    }

    /// Parses PostgreSQL interval text: `3 days`, `1 year 2 mons`, `90 day`, `-1 month`, `01:30:00`, or
    /// a number with a qualifier (`INTERVAL '3' DAY`, `'1-2' YEAR TO MONTH`).
    static func parseInterval(_ text: String, qualifier: String?) -> Interval? {
        var result = Interval(months: 0, days: 0, microseconds: 0)
        let trimmed = text.trimmingSpaces.lowercased()
        if let qualifier {
            let q = qualifier.split(separator: " ").first.map(String.init) ?? qualifier
            if qualifier == "year to month" {
                let p = trimmed.split(separator: "-")
                guard p.count == 2, let y = Int32(p[0]), let m = Int32(p[1]) else { return nil }
                let months = y.multipliedReportingOverflow(by: 12)
                let total = months.partialValue.addingReportingOverflow(m)
                guard !months.overflow, !total.overflow else { return nil }
                return Interval(months: total.partialValue, days: 0, microseconds: 0)
            }
            if let v = Double(trimmed) { return unit(q, v) }
        }
        let tokens = trimmed.split(separator: " ")
        var i = 0
        while i < tokens.count {
            if tokens[i].contains(":") {
                guard let t = parseTime(String(tokens[i].drop(while: { $0 == "-" || $0 == "+" }))) else { return nil }
                result.microseconds += tokens[i].hasPrefix("-") ? -t : t
                i += 1
                continue
            }
            guard let v = Double(tokens[i]) else { return nil }
            let u = i + 1 < tokens.count ? String(tokens[i + 1]) : "second"
            guard let part = unit(u, v) else { return nil }
            result = result + part
            i += 2
        }
        return result
    }

    private static func unit(_ name: String, _ v: Double) -> Interval? {
        // Out-of-range amounts are refused rather than trapping in the integer conversions below.
        guard v.isFinite, abs(v) < 1e9 else { return nil }
        var u = name
        if u.hasSuffix("s") && u != "s" { u.removeLast() }
        // Fractions spill down as PostgreSQL spills them: a month is 30 days, a day 24 hours.
        func days(_ d: Double) -> Interval? {
            let whole = d.rounded(.towardZero)
            guard let w = Int32(exactly: whole) else { return nil }
            return Interval(months: 0, days: w, microseconds: Int64(((d - whole) * 86_400_000_000).rounded()))
        }
        func months(_ m: Double) -> Interval? {
            let whole = m.rounded(.towardZero)
            guard let w = Int32(exactly: whole), let rest = days((m - whole) * 30) else { return nil }
            return Interval(months: w, days: 0, microseconds: 0) + rest
        }
        switch u {
        case "year", "yr", "y": return months(v * 12)
        case "month", "mon": return months(v)
        case "week", "w": return days(v * 7)
        case "day", "d": return days(v)
        case "hour", "hr", "h": return Interval(months: 0, days: 0, microseconds: Int64(v * 3_600_000_000))
        case "minute", "min", "m": return Interval(months: 0, days: 0, microseconds: Int64(v * 60_000_000))
        case "second", "sec", "": return Interval(months: 0, days: 0, microseconds: Int64(v * 1_000_000))
        case "millisecond", "ms": return Interval(months: 0, days: 0, microseconds: Int64(v * 1000))
        default: return nil
        }
    }

    /// `extract(field from micros)`.
    static func extract(_ field: String, micros t: Int64) -> Double? {
        DatePart(rawValue: field).map { extract($0, micros: t) }
    }

    /// The fields extract() and date_part() know.
    enum DatePart: String, Sendable, Hashable {
        case year, month, day, quarter, hour, minute, second, dow, isodow, doy, epoch, decade, century, millennium, week
    }

    static func extract(_ part: DatePart, micros t: Int64) -> Double {
        let days = Cast.floorDiv(t, microsPerDay)
        let tod = t &- days &* microsPerDay
        switch part {
        case .hour: return Double(tod / 3_600_000_000)
        case .minute: return Double(tod / 60_000_000 % 60)
        case .second: return Double(tod % 60_000_000) / 1_000_000
        case .dow: return Double(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        case .isodow: let w = ((days % 7) + 11) % 7; return Double(w == 0 ? 7 : w)
        case .epoch: return Double(t) / 1_000_000
        default: break
        }
        let (y, m, d) = ValueText.civil(fromDays: days)
        switch part {
        case .year: return Double(y)
        case .month: return Double(m)
        case .day: return Double(d)
        case .quarter: return Double((m - 1) / 3 + 1)
        case .doy: return Double(days - DateTime.days(year: y, month: 1, day: 1) + 1)
        case .decade: return Double(Cast.floorDiv(y, 10))
        case .century: return Double(y > 0 ? (y + 99) / 100 : -((99 - y) / 100))
        case .millennium: return Double(y > 0 ? (y + 999) / 1000 : -((999 - y) / 1000))
        case .week:
            // ISO week number.
            let wd = ((days % 7) + 10) % 7  // Monday = 0
            let thursday = days - wd + 3
            let (ty, _, _) = ValueText.civil(fromDays: thursday)
            return Double((thursday - DateTime.days(year: ty, month: 1, day: 1)) / 7 + 1)
        default: return 0
        }
    }

    /// `date_trunc(field, micros)`.
    static func truncate(_ field: String, micros t: Int64) -> Int64? {
        let days = Cast.floorDiv(t, microsPerDay)
        let (y, m, _) = ValueText.civil(fromDays: days)
        switch field {
        case "year": return DateTime.days(year: y, month: 1, day: 1) &* microsPerDay
        case "quarter": return DateTime.days(year: y, month: (m - 1) / 3 * 3 + 1, day: 1) &* microsPerDay
        case "month": return DateTime.days(year: y, month: m, day: 1) &* microsPerDay
        case "week": return (days - ((days % 7) + 10) % 7) &* microsPerDay
        case "day": return days &* microsPerDay
        case "hour": return Cast.floorDiv(t, 3_600_000_000) &* 3_600_000_000
        case "minute": return Cast.floorDiv(t, 60_000_000) &* 60_000_000
        case "second": return Cast.floorDiv(t, 1_000_000) &* 1_000_000
        case "decade": return DateTime.days(year: Cast.floorDiv(y, 10) * 10, month: 1, day: 1) &* microsPerDay
        default: return nil
        }
    }
}

typealias Cast = Casts

extension String {
    func replacingFirst(_ target: Character, with replacement: Character) -> String {
        guard let i = firstIndex(of: target) else { return self }
        var s = self
        s.replaceSubrange(i...i, with: String(replacement))
        return s
    }
}
