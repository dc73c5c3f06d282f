import Columnar

/// How a top-level Parquet column maps onto nested in-memory values: the
/// Parquet spec's rules for LIST and MAP annotations, including the legacy
/// two-level list layouts (backward-compatibility rules in LogicalTypes.md):
/// - `<list> (LIST) { repeated group list { <element> } }`: the standard 3-level form;
/// - the repeated child is a primitive, or a group of several fields, or is named
///   `array` or `<list>_tuple`: it is itself the (required) element;
/// - a repeated field with no annotation: a required list of required elements;
/// - `<map> (MAP) { repeated group key_value { required key; [value] } }`.
/// Each shape records the definition level at which its value is present and,
/// for lists, the repetition level of their repeated node.
indirect enum ColumnShape: Sendable {
    /// `definedAt`: definition level at which the value is present (non-null).
    case leaf(leafIndex: Int, definedAt: Int, nullable: Bool)
    case structure(fields: [(name: String, shape: ColumnShape)], definedAt: Int, nullable: Bool)
    /// `elementsAt`: definition level at which the list has at least one element;
    /// `repetitionLevel`: that of the repeated node (a new element starts when an entry's
    /// repetition level equals it).
    case list(element: ColumnShape, definedAt: Int, nullable: Bool, repetitionLevel: Int, elementsAt: Int, isMap: Bool)

    var firstLeaf: Int {
        switch self {
        case let .leaf(i, _, _): i
        case let .structure(fields, _, _): fields.first?.shape.firstLeaf ?? -1
        case let .list(element, _, _, _, _, _): element.firstLeaf
        }
    }

    var definedAt: Int {
        switch self {
        case let .leaf(_, d, _), let .structure(_, d, _), let .list(_, d, _, _, _, _): d
        }
    }

    var nullable: Bool {
        switch self {
        case let .leaf(_, _, n), let .structure(_, _, n), let .list(_, _, n, _, _, _): n
        }
    }

    /// The shape of `node`, a child of a group whose values are present at `parentDefinedAt`.
    static func of(_ node: SchemaNode, parentDefinedAt: Int) throws(ParquetError) -> ColumnShape {
        if node.repetition == .repeated {
            // A repeated field outside a LIST/MAP annotation: a required list of required elements.
            let element = try elementShape(node, definedAt: node.definitionLevel)
            return .list(element: element, definedAt: parentDefinedAt, nullable: false,
                         repetitionLevel: node.repetitionLevel, elementsAt: node.definitionLevel, isMap: false)
        }
        return try valueShape(node)
    }

    /// The shape of a non-repeated node's value.
    private static func valueShape(_ node: SchemaNode, nullable: Bool? = nil) throws(ParquetError) -> ColumnShape {
        let nullable = nullable ?? (node.repetition == .optional)
        if let leaf = node.leafIndex {
            return .leaf(leafIndex: leaf, definedAt: node.definitionLevel, nullable: nullable)
        }
        let annotation = node.element.logicalType
        let converted = node.element.convertedType
        if annotation == .list || (annotation == nil && converted == .list) {
            return try listShape(node, nullable: nullable)
        }
        if annotation == .map || (annotation == nil && (converted == .map || converted == .mapKeyValue)) {
            return try mapShape(node, nullable: nullable)
        }
        return try structShape(node, definedAt: node.definitionLevel, nullable: nullable)
    }

    private static func structShape(_ node: SchemaNode, definedAt: Int, nullable: Bool) throws(ParquetError) -> ColumnShape {
        var fields: [(String, ColumnShape)] = []
        for child in node.children {
            fields.append((child.name, try of(child, parentDefinedAt: definedAt)))
        }
        guard !fields.isEmpty else {
            throw ParquetError.unsupported("group '\(node.path.joined(separator: "."))' has no fields")
        }
        return .structure(fields: fields, definedAt: definedAt, nullable: nullable)
    }

    /// The element of a list whose repeated node is `repeated`.
    private static func elementShape(_ repeated: SchemaNode, definedAt: Int) throws(ParquetError) -> ColumnShape {
        // The repeated node is the element: present (never null) once the list has it.
        try valueShape(repeated, nullable: false)
    }

    private static func listShape(_ node: SchemaNode, nullable: Bool) throws(ParquetError) -> ColumnShape {
        let where_ = node.path.joined(separator: ".")
        guard node.children.count == 1, let repeated = node.children.first, repeated.repetition == .repeated else {
            // Not a valid list: read it as the struct it is.
            return try structShape(node, definedAt: node.definitionLevel, nullable: nullable)
        }
        let element: ColumnShape
        let isLegacyElement = repeated.isLeaf || repeated.children.count > 1 || repeated.name == "array"
            || repeated.name == node.name + "_tuple"
        if isLegacyElement {
            element = try elementShape(repeated, definedAt: repeated.definitionLevel)
        } else {
            guard let inner = repeated.children.first else { throw ParquetError.corrupt("list '\(where_)' has an empty repeated group") }
            if inner.repetition == .repeated {
                element = try of(inner, parentDefinedAt: repeated.definitionLevel)
            } else {
                element = try valueShape(inner)
            }
        }
        return .list(element: element, definedAt: node.definitionLevel, nullable: nullable,
                     repetitionLevel: repeated.repetitionLevel, elementsAt: repeated.definitionLevel, isMap: false)
    }

    private static func mapShape(_ node: SchemaNode, nullable: Bool) throws(ParquetError) -> ColumnShape {
        let where_ = node.path.joined(separator: ".")
        guard node.children.count == 1, let keyValue = node.children.first, keyValue.repetition == .repeated,
              !keyValue.isLeaf, let key = keyValue.children.first, key.name == keyValue.children[0].name else {
            throw ParquetError.corrupt("map '\(where_)' does not have one repeated key_value group")
        }
        guard key.repetition == .required else {
            throw ParquetError.corrupt("map '\(where_)' has a key that is not REQUIRED")
        }
        guard keyValue.children.count <= 2 else {
            throw ParquetError.corrupt("map '\(where_)' has \(keyValue.children.count) fields in its key_value group")
        }
        // A map without values reads as the list of its keys (as pyarrow does).
        let entry = keyValue.children.count == 1
            ? try valueShape(key)
            : try structShape(keyValue, definedAt: keyValue.definitionLevel, nullable: false)
        return .list(element: entry, definedAt: node.definitionLevel, nullable: nullable,
                     repetitionLevel: keyValue.repetitionLevel, elementsAt: keyValue.definitionLevel, isMap: keyValue.children.count == 2)
    }
}
