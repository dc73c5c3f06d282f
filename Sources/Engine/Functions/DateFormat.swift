import Columnar

/// `to_char(date/timestamp, pattern)` for PostgreSQL's common template patterns:
/// YYYY, YY, MM, Mon/MON, Month/MONTH/month, DD, DDD, D, Day/DAY/day, Dy/DY, HH24, HH/HH12,
/// MI, SS, MS, US, Q, AM/PM; the FM prefix (no padding) and "quoted" literal text.
enum DateFormat {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func format(micros t: Int64, pattern: String) -> String {
        let days = Cast.floorDiv(t, DateTime.microsPerDay)
        let tod = t &- days &* DateTime.microsPerDay
        let (y, m, d) = ValueText.civil(fromDays: days)
        let h = tod / 3_600_000_000, mi = tod / 60_000_000 % 60, s = tod / 1_000_000 % 60
        let weekday = Int(((days % 7) + 11) % 7)  // 0 = Sunday
        let dayOfYear = days - DateTime.days(year: y, month: 1, day: 1) + 1
        let isoWeek = Int64(DateTime.extract("week", micros: t) ?? 0)
        let chars = Array(pattern)
        var out = ""
        var i = 0
        var fillMode = false
        func starts(_ token: String) -> Bool {
            let t = Array(token)
            return i + t.count <= chars.count && Array(chars[i..<(i + t.count)]) == t
        }
        func number(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return fillMode ? s : String(repeating: "0", count: max(0, width - s.count)) + s
        }
        func word(_ w: String, _ width: Int) -> String {
            fillMode ? w : w + String(repeating: " ", count: max(0, width - w.count))
        }
        let month = monthNames[Int(m) - 1], day = dayNames[weekday]
        let table: [(String, () -> String)] = [
            ("YYYY", { number(y, 4) }), ("MONTH", { word(month.uppercased(), 9) }), ("Month", { word(month, 9) }),
            ("month", { word(month.lowercased(), 9) }), ("MON", { String(month.prefix(3)).uppercased() }),
            ("Mon", { String(month.prefix(3)) }), ("mon", { String(month.prefix(3)).lowercased() }),
            ("DAY", { word(day.uppercased(), 9) }), ("Day", { word(day, 9) }), ("day", { word(day.lowercased(), 9) }),
            ("DY", { String(day.prefix(3)).uppercased() }), ("Dy", { String(day.prefix(3)) }), ("dy", { String(day.prefix(3)).lowercased() }),
            ("YY", { number(y % 100, 2) }), ("MM", { number(m, 2) }), ("DDD", { number(dayOfYear, 3) }), ("DD", { number(d, 2) }),
            ("IW", { number(isoWeek, 2) }), ("D", { String(weekday + 1) }), ("HH24", { number(h, 2) }), ("HH12", { number(h % 12 == 0 ? 12 : h % 12, 2) }),
            ("HH", { number(h % 12 == 0 ? 12 : h % 12, 2) }), ("MI", { number(mi, 2) }), ("SS", { number(s, 2) }),
            ("MS", { number(tod / 1000 % 1000, 3) }), ("US", { number(tod % 1_000_000, 6) }), ("Q", { String((m - 1) / 3 + 1) }),
            ("AM", { h < 12 ? "AM" : "PM" }), ("PM", { h < 12 ? "AM" : "PM" }),
        ]
        outer: while i < chars.count {
            if starts("FM") {
                fillMode = true
                i += 2
                continue
            }
            if chars[i] == "\"" {
                // Quoted literal text.
                i += 1
                while i < chars.count && chars[i] != "\"" { out.append(chars[i]); i += 1 }
                i += 1
                continue
            }
            for (token, render) in table where starts(token) {
                out += render()
                i += token.count
                fillMode = false
                continue outer
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
