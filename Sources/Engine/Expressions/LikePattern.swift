/// A compiled LIKE / ILIKE pattern: `%` any run, `_` one character, the escape
/// character (default backslash) makes the next one literal. Matching works on
/// UTF-8 bytes, stepping whole characters for `_`.
struct LikePattern: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case literal([UInt8])
        case anyOne
        case anyRun
    }

    let pieces: [Piece]
    let caseInsensitive: Bool
    let text: String

    init(_ pattern: String, escape: Character? = "\\", caseInsensitive: Bool) throws(EngineError) {
        self.text = pattern
        self.caseInsensitive = caseInsensitive
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var escaping = false
        func flush() {
            if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
        }
        for ch in (caseInsensitive ? pattern.lowercased() : pattern) {
            if escaping {
                literal.append(contentsOf: String(ch).utf8)
                escaping = false
            } else if let escape, ch == escape {
                escaping = true
            } else if ch == "%" {
                flush()
                if pieces.last != .anyRun { pieces.append(.anyRun) }
            } else if ch == "_" {
                flush()
                pieces.append(.anyOne)
            } else {
                literal.append(contentsOf: String(ch).utf8)
            }
        }
        if escaping { throw EngineError("22025", "LIKE pattern must not end with escape character") }
        flush()
        self.pieces = pieces
    }

    /// Fast forms for the common shapes.
    var prefix: [UInt8]? {
        if pieces.count == 2, case let .literal(l) = pieces[0], pieces[1] == .anyRun { return l }
        return nil
    }

    var contains: [UInt8]? {
        if pieces.count == 3, pieces[0] == .anyRun, case let .literal(l) = pieces[1], pieces[2] == .anyRun { return l }
        return nil
    }

    /// For `%lit...` patterns of literals and `%` only (case-sensitive): the first literal.
    /// A value matches only if it contains it, so a column's rows can be found by searching
    /// all of its bytes for it at once (`StringFunctions.like`).
    var leadingSearchLiteral: [UInt8]? {
        guard !caseInsensitive, percentOnly, pieces.first == .anyRun, pieces.count >= 2, case let .literal(l) = pieces[1] else {
            return nil
        }
        return l
    }

    /// Patterns of literals and `%` only match greedily: each literal at its first
    /// occurrence after the previous one (no backtracking needed).
    private var percentOnly: Bool { !pieces.contains(.anyOne) }

    func matches(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        if !caseInsensitive && percentOnly { return matchPercentOnly(value) }
        if caseInsensitive {
            let lowered = Array(String(decoding: value, as: UTF8.self).lowercased().utf8)
            return lowered.withUnsafeBufferPointer { match($0, 0, 0) }
        }
        return match(value, 0, 0)
    }

    private func match(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ pieceIndex: Int) -> Bool {
        var i = start
        var p = pieceIndex
        while p < pieces.count {
            switch pieces[p] {
            case let .literal(l):
                guard i + l.count <= s.count else { return false }
                for k in 0..<l.count where s[i + k] != l[k] { return false }
                i += l.count
            case .anyOne:
                guard i < s.count else { return false }
                i += Self.characterLength(s[i])
            case .anyRun:
                if p == pieces.count - 1 { return true }
                // Try every start for the rest (patterns are short; literal-first skips quickly).
                var j = i
                while j <= s.count {
                    if match(s, j, p + 1) { return true }
                    if j == s.count { break }
                    j += Self.characterLength(s[j])
                }
                return false
            }
            p += 1
        }
        return i == s.count
    }

    private func matchPercentOnly(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        var p = 0
        var floating = false  // a % came before this piece
        while p < pieces.count {
            switch pieces[p] {
            case .anyRun:
                floating = true
            case let .literal(l):
                let isLast = p == pieces.count - 1
                if !floating {
                    guard i + l.count <= s.count, l.indices.allSatisfy({ s[i + $0] == l[$0] }) else { return false }
                    i += l.count
                } else if isLast {
                    // The last literal after a %: it must end the value.
                    guard s.count - l.count >= i else { return false }
                    let start = s.count - l.count
                    return l.indices.allSatisfy { s[start + $0] == l[$0] }
                } else {
                    guard let at = Self.find(l, in: s, from: i) else { return false }
                    i = at + l.count
                }
                floating = false
            case .anyOne:
                return false
            }
            p += 1
        }
        return floating || i == s.count
    }

    private static func find(_ needle: [UInt8], in s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first else { return start }
        var i = start
        let last = s.count - needle.count
        while i <= last {
            if s[i] == first {
                var k = 1
                while k < needle.count && s[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    @inline(__always) static func characterLength(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead >= 0xF0 { return 4 }
        if lead >= 0xE0 { return 3 }
        if lead >= 0xC0 { return 2 }
        return 1
    }
}
