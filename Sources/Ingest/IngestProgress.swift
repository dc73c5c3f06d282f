#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reports an ingest's progress on standard error: on a terminal a live line
/// redrawn in place (rows, bytes, rate, and percentage and time left when the
/// inputs' total size is known); otherwise a plain log line every few seconds
/// and at each input's start, so logs of pipes and CI stay readable.
public final class IngestProgress: @unchecked Sendable {
    public enum Style: Sendable { case live, log, silent }

    public let style: Style
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastReport: ContinuousClock.Instant
    /// Total bytes of the inputs, when every input's size is known.
    var totalBytes: Int?
    private(set) var rows = 0
    private(set) var rejected = 0
    /// Bytes of finished inputs, plus the current input's bytes so far.
    private var bytesBefore = 0
    private var currentBytes = 0
    private var drewLine = false

    /// `.live` when standard error is a terminal, else `.log`.
    public static var automatic: Style { isatty(2) != 0 ? .live : .log }

    public init(style: Style) {
        self.style = style
        start = clock.now
        lastReport = start
    }

    var bytes: Int { bytesBefore + currentBytes }

    public var elapsed: Double { Self.seconds(clock.now - start) }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    func beginInput(_ name: String, index: Int, of count: Int) {
        bytesBefore += currentBytes
        currentBytes = 0
        if style == .log { emit("basalt ingest: reading \(name) (\(index + 1) of \(count))\n") }
    }

    func update(rows newRows: Int, rejected newRejects: Int, inputBytes: Int) {
        rows += newRows
        rejected += newRejects
        currentBytes = inputBytes
        let now = clock.now
        let interval: Duration = style == .live ? .milliseconds(200) : .seconds(5)
        guard style != .silent, now - lastReport >= interval else { return }
        lastReport = now
        if style == .live {
            emit("\r\u{1B}[K" + line())
            drewLine = true
        } else {
            emit("basalt ingest: " + line() + "\n")
        }
    }

    /// Clears the live line (before the summary or an error).
    func finish() {
        if drewLine { emit("\r\u{1B}[K") }
        drewLine = false
    }

    func line() -> String {
        let t = max(elapsed, 0.001)
        var parts = ["\(Self.grouped(rows)) rows"]
        if rejected > 0 { parts.append("\(Self.grouped(rejected)) rejected") }
        if let totalBytes, totalBytes > 0 {
            let fraction = min(1, Double(bytes) / Double(totalBytes))
            parts.append("\(Self.size(bytes)) of \(Self.size(totalBytes)) (\(Int(fraction * 100))%)")
            parts.append("\(Self.size(Int(Double(bytes) / t)))/s")
            if fraction > 0.01 && fraction < 1 {
                parts.append("\(Self.duration(t / fraction - t)) left")
            }
        } else {
            parts.append(Self.size(bytes))
            parts.append("\(Self.size(Int(Double(bytes) / t)))/s")
        }
        parts.append("\(Self.grouped(Int(Double(rows) / t))) rows/s")
        return parts.joined(separator: ", ")
    }

    private func emit(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { b in
            var done = 0
            while done < b.count {
                let n = write(2, b.baseAddress! + done, b.count - done)
                if n <= 0 { break }
                done += n
            }
        }
        bytes.removeAll()
    }

    // MARK: formatting

    /// 1234567 → "1,234,567".
    public static func grouped(_ n: Int) -> String {
        let digits = Array(String(abs(n)))
        var out = n < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    public static func size(_ bytes: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var v = Double(bytes)
        var u = 0
        while v >= 1000 && u < units.count - 1 { v /= 1000; u += 1 }
        return u == 0 ? "\(bytes) B" : fixed(v, 1) + " " + units[u]
    }

    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(two(s / 60 % 60))m" : s >= 60 ? "\(s / 60)m\(two(s % 60))s" : "\(s)s"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    public static func fixed(_ v: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let n = Int((v * scale).rounded())
        let whole = n / Int(scale), frac = n % Int(scale)
        let f = String(frac)
        return decimals == 0 ? String(whole) : "\(whole).\(String(repeating: "0", count: decimals - f.count))\(f)"
    }
}
