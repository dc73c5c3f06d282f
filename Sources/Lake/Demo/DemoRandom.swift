/// The demo lake's pseudo-random numbers: SplitMix64 (Steele, Lea and Flood,
/// "Fast splittable pseudorandom number generators", 2014), in integer
/// arithmetic only, so the same seed gives the same values on every machine.
/// Each table draws from its own stream, so changing how one table is
/// generated does not shift the others.
struct DemoRandom {
    private var state: UInt64

    /// Stream `stream` of `seed`.
    init(seed: UInt64, stream: UInt64) {
        state = Self.mix(seed ^ Self.mix(stream &+ 0x9E37_79B9_7F4A_7C15))
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// Uniform in 0..<n (Lemire's multiply-shift; the bias is below 2^-40 for our n).
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(0)")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform in the closed range.
    mutating func inRange(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// True with probability `percent`/100.
    mutating func chance(percent: Int) -> Bool {
        below(100) < percent
    }

    /// One element, uniformly.
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// The elements in a random order (Fisher-Yates).
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var out = items
        var i = out.count - 1
        while i > 0 {
            out.swapAt(i, below(i + 1))
            i -= 1
        }
        return out
    }
}

/// A discrete distribution over 0..<weights.count by integer weights, sampled
/// by binary search over the cumulative sums.
struct WeightedChoice {
    private let cumulative: [Int]

    init(_ weights: [Int]) {
        var sums: [Int] = []
        var total = 0
        for w in weights {
            total += max(0, w)
            sums.append(total)
        }
        precondition(total > 0, "weights must not all be zero")
        cumulative = sums
    }

    func sample(_ random: inout DemoRandom) -> Int {
        let r = random.below(cumulative.last!)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
