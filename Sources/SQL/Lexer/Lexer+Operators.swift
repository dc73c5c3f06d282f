/// Operators (scan.l's `{operator}` rule): a run of `+ - * / < > = ~ ! @ # % ^ & | \` ?`
///
/// - stops before `--` or `/*` inside the run (they start comments);
/// - a multi-character operator cannot end in `+` or `-` unless it contains one of
///   `~ ! @ # % ^ & | \` ?`, so `a=-1` is `a = -1` but `2^-1` is the operator `^-`;
/// - `!=` is the same token as `<>`.
extension Lexer {
    mutating func operatorToken(from start: Int) {
        var end = start
        while end < bytes.count, isOperatorCharacter(bytes[end]) {
            if end > start, end + 1 < bytes.count {
                let pair = (bytes[end], bytes[end + 1])
                if pair == (UInt8(ascii: "-"), UInt8(ascii: "-")) || pair == (UInt8(ascii: "/"), UInt8(ascii: "*")) { break }
            }
            end += 1
        }
        if end - start > 1, bytes[end - 1] == UInt8(ascii: "+") || bytes[end - 1] == UInt8(ascii: "-") {
            let special = bytes[start..<end - 1].contains { "~!@#^&|`?%".utf8.contains($0) }
            if !special {
                while end - start > 1, bytes[end - 1] == UInt8(ascii: "+") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
            }
        }
        index = end
        var text = String(decoding: bytes[start..<end], as: UTF8.self)
        if text == "!=" { text = "<>" }
        append(.symbol, text, from: start)
    }

    func isOperatorCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "@"),
             UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "^"), UInt8(ascii: "&"), UInt8(ascii: "|"),
             UInt8(ascii: "`"), UInt8(ascii: "?"):
            return true
        default:
            return false
        }
    }
}
