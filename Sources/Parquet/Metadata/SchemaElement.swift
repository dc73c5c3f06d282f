/// `SchemaElement`: one node of the schema, in the footer's depth-first list.
/// A group has `numChildren` and no type; a leaf has a type and no children.
///   1: type  2: type_length  3: repetition_type  4: name (required)  5: num_children
///   6: converted_type  7: scale  8: precision  9: field_id  10: logicalType
///   (11: vector_length, only with VECTOR repetition, which is unsupported)
public struct SchemaElement: ThriftStruct, Hashable {
    public var type: PhysicalType?
    public var typeLength: Int32?
    public var repetitionType: Repetition?
    public var name: String
    public var numChildren: Int32?
    public var convertedType: ConvertedType?
    public var scale: Int32?
    public var precision: Int32?
    public var fieldId: Int32?
    public var logicalType: LogicalType?

    public init(type: PhysicalType? = nil, typeLength: Int32? = nil, repetitionType: Repetition? = nil, name: String,
                numChildren: Int32? = nil, convertedType: ConvertedType? = nil, scale: Int32? = nil, precision: Int32? = nil,
                fieldId: Int32? = nil, logicalType: LogicalType? = nil) {
        self.type = type
        self.typeLength = typeLength
        self.repetitionType = repetitionType
        self.name = name
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.fieldId = fieldId
        self.logicalType = logicalType
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.position
        var name: String?
        var rawType: Int32?, rawRepetition: Int32?
        var e = SchemaElement(name: "")
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .i32): rawType = try r.readI32()
            case (2, .i32): e.typeLength = try r.readI32()
            case (3, .i32): rawRepetition = try r.readI32()
            case (4, .binary): name = try r.readString()
            case (5, .i32): e.numChildren = try r.readI32()
            case (6, .i32): e.convertedType = ConvertedType(rawValue: try r.readI32())
            case (7, .i32): e.scale = try r.readI32()
            case (8, .i32): e.precision = try r.readI32()
            case (9, .i32): e.fieldId = try r.readI32()
            case (10, .structure): e.logicalType = try LogicalType.decode(&r)
            default: try r.skip(h.type)
            }
        }
        guard let name else { throw ParquetError.corrupt("schema element at byte \(start) has no name") }
        e.name = name
        if let rawType {
            guard let type = PhysicalType(rawValue: rawType) else {
                throw ParquetError.corrupt("unknown physical type \(rawType) in schema element \(name)")
            }
            e.type = type
        }
        if let rawRepetition {
            guard let repetition = Repetition(rawValue: rawRepetition) else {
                if rawRepetition == 3 { throw ParquetError.unsupported("VECTOR repetition of schema element \(name)") }
                throw ParquetError.corrupt("unknown repetition type \(rawRepetition) in schema element \(name)")
            }
            e.repetitionType = repetition
        }
        self = e
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i32: type?.rawValue)
        w.field(2, i32: typeLength)
        w.field(3, i32: repetitionType?.rawValue)
        w.field(4, string: name)
        w.field(5, i32: numChildren)
        w.field(6, i32: convertedType?.rawValue)
        w.field(7, i32: scale)
        w.field(8, i32: precision)
        w.field(9, i32: fieldId)
        if let logicalType {
            w.fieldHeader(10, .structure)
            logicalType.write(to: &w)
        }
        w.structEnd()
    }
}
