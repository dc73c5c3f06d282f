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

    func matches(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
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

    @inline(__always) static func characterLength(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead >= 0xF0 { return 4 }
        if lead >= 0xE0 { return 3 }
        if lead >= 0xC0 { return 2 }
        return 1
    }
}
