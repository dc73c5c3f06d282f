import Columnar

/// Arrays as Basalt's engine holds them for now: text in PostgreSQL's array output syntax
/// (`{1,2}`, `{"a b",NULL}`; int2vector/oidvector's space-separated `1 2` is read too). The
/// system catalog's array columns (`indkey`, `proargtypes`, `polroles`, ...), `ARRAY[...]`,
/// `ARRAY(query)`, `array_agg` and `current_schemas` produce it; subscripts, `ANY (array)`,
/// `array_to_string` and `array_upper` read it. Element types come from where the array was
/// made (see `ExpressionBinder.arrayElementType`).
public enum ArrayText {
    /// The elements (nil for NULL), or nil when the text is not an array.
    static func parse(_ text: String) -> [String?]? {
        let chars = Array(text.trimmingSpaces)
        guard chars.first == "{" else {
            // int2vector / oidvector: "1 2 3".
            return text.split(separator: " ").map { String($0) }
        }
        guard chars.last == "}" else { return nil }
        var elements: [String?] = []
        var i = 1
        let end = chars.count - 1
        while i < end {
            while i < end, chars[i] == " " { i += 1 }
            if i >= end { break }
            var element = ""
            var quoted = false
            if chars[i] == "\"" {
                quoted = true
                i += 1
                while i < end, chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < end { i += 1 }
                    element.append(chars[i])
                    i += 1
                }
                i += 1
            } else {
                while i < end, chars[i] != "," {
                    if chars[i] == "\\", i + 1 < end { i += 1 }
                    element.append(chars[i])
                    i += 1
                }
                element = element.trimmingSpaces
            }
            elements.append(!quoted && element.uppercased() == "NULL" ? nil : element)
            while i < end, chars[i] == " " { i += 1 }
            if i < end, chars[i] == "," { i += 1 }
        }
        return elements
    }

    public static func format(_ elements: [String?]) -> String {
        "{" + elements.map(element).joined(separator: ",") + "}"
    }

    /// One element as array output writes it: quoted when empty, NULL-like or holding
    /// delimiters, quotes, backslashes or spaces.
    public static func element(_ text: String?) -> String {
        ValueText.arrayElement(text)
    }
}
