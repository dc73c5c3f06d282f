/// A possibly schema-qualified name: `orders`, `sales.orders`, `"Mixed Case".t`.
public struct QualifiedName: Sendable, Hashable, CustomStringConvertible {
    /// One to three parts (catalog.schema.name), already case-folded.
    public var parts: [String]
    /// Byte offset of the name in the statement text (for error positions), or -1.
    public var position: Int

    public init(_ parts: [String], position: Int = -1) {
        self.parts = parts
        self.position = position
    }

    public var name: String { parts.last ?? "" }
    public var description: String { parts.joined(separator: ".") }

    // Positions do not take part in equality: two parses of the same name are equal.
    public static func == (a: QualifiedName, b: QualifiedName) -> Bool { a.parts == b.parts }
    public func hash(into hasher: inout Hasher) { hasher.combine(parts) }
}
