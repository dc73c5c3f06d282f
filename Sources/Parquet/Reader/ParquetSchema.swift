/// The schema of a Parquet file as a tree, rebuilt from the footer's flat,
/// depth-first list of `SchemaElement`s (each group says how many children
/// follow it). Every node knows its definition and repetition levels:
///   definitionLevel = number of OPTIONAL or REPEATED nodes from the root to it (inclusive)
///   repetitionLevel = number of REPEATED nodes from the root to it (inclusive)
public struct SchemaNode: Sendable {
    public var element: SchemaElement
    public var children: [SchemaNode]
    /// Names from the top-level column down to this node.
    public var path: [String]
    public var definitionLevel: Int
    public var repetitionLevel: Int
    /// Index of this leaf among all leaves (column chunks), depth first; nil for groups.
    public var leafIndex: Int?
    /// Position of this element in the footer's flat list.
    public var elementIndex: Int

    public var name: String { element.name }
    public var isLeaf: Bool { leafIndex != nil }
    public var repetition: Repetition { element.repetitionType ?? .required }
}

/// One primitive column: what a column chunk holds.
public struct LeafColumn: Sendable {
    public var index: Int
    public var path: [String]
    public var element: SchemaElement
    public var physicalType: PhysicalType
    public var maxDefinitionLevel: Int
    public var maxRepetitionLevel: Int
    /// Definition level of each ancestor including the leaf, top-down: used to
    /// tell at which depth a null occurred.
    public var typeLength: Int { Int(element.typeLength ?? 0) }
    public var dottedPath: String { path.joined(separator: ".") }
}

public struct ParquetSchema: Sendable {
    public var root: SchemaNode
    public var leaves: [LeafColumn]

    /// The top-level columns.
    public var columns: [SchemaNode] { root.children }

    public init(elements: [SchemaElement]) throws(ParquetError) {
        guard let first = elements.first else { throw ParquetError.corrupt("schema is empty") }
        var cursor = 0
        var leaves: [LeafColumn] = []
        let root = try Self.build(elements, &cursor, path: [], parentDef: 0, parentRep: 0, depth: 0, leaves: &leaves, isRoot: true)
        guard cursor == elements.count else {
            throw ParquetError.corrupt("schema has \(elements.count - cursor) elements beyond the root's \(first.numChildren ?? 0) children")
        }
        self.root = root
        self.leaves = leaves
    }

    private static func build(_ elements: [SchemaElement], _ cursor: inout Int, path: [String], parentDef: Int, parentRep: Int,
                              depth: Int, leaves: inout [LeafColumn], isRoot: Bool) throws(ParquetError) -> SchemaNode {
        guard cursor < elements.count else {
            throw ParquetError.corrupt("schema ends early: a group announces more children than there are elements")
        }
        guard depth < 200 else { throw ParquetError.corrupt("schema nested deeper than 200 levels") }
        let index = cursor
        let element = elements[cursor]
        cursor += 1
        var def = parentDef, rep = parentRep
        let nodePath = isRoot ? [] : path + [element.name]
        if !isRoot {
            switch element.repetitionType ?? .required {
            case .required: break
            case .optional: def += 1
            case .repeated: def += 1; rep += 1
            }
        }
        var node = SchemaNode(element: element, children: [], path: nodePath, definitionLevel: def, repetitionLevel: rep,
                              leafIndex: nil, elementIndex: index)
        if let n = element.numChildren, element.type == nil || isRoot {
            guard n >= 0, n <= elements.count - cursor else {
                throw ParquetError.corrupt("schema element '\(element.name)' claims \(n) children, only \(elements.count - cursor) elements follow")
            }
            node.children.reserveCapacity(Int(n))
            for _ in 0..<n {
                node.children.append(try build(elements, &cursor, path: nodePath, parentDef: def, parentRep: rep,
                                               depth: depth + 1, leaves: &leaves, isRoot: false))
            }
        } else {
            guard !isRoot else { throw ParquetError.corrupt("schema root has no children") }
            guard let type = element.type else {
                throw ParquetError.corrupt("schema element '\(element.name)' is neither a group nor has a physical type")
            }
            if type == .fixedLenByteArray {
                guard let len = element.typeLength, len >= 0 else {
                    throw ParquetError.corrupt("FIXED_LEN_BYTE_ARRAY column '\(nodePath.joined(separator: "."))' has no valid type_length")
                }
            }
            node.leafIndex = leaves.count
            leaves.append(LeafColumn(index: leaves.count, path: nodePath, element: element, physicalType: type,
                                     maxDefinitionLevel: def, maxRepetitionLevel: rep))
        }
        return node
    }
}
