/// Thrift's compact protocol, the encoding of Parquet's footer and page headers
/// (thrift/doc/specs/thrift-compact-protocol.md):
/// - field header: one byte `dddd tttt` (field id delta 1..15, type), or `0000 tttt`
///   followed by the field id as a zigzag varint; type 0 is STOP;
/// - integers i16/i32/i64: zigzag ULEB128 varints; double: 8 bytes little-endian;
/// - binary/string: ULEB128 length, then the bytes;
/// - booleans inside structs live in the field type (1 = true, 2 = false);
/// - list/set: one byte `ssss tttt` (size 0..14, element type), size 15 means a varint size follows;
/// - map: varint size, then (if non-zero) one byte of key and value types.
public struct ThriftCompactReader {
    public enum WireType: UInt8, Sendable {
        case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6
        case double = 7, binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    public struct FieldHeader: Sendable {
        public var id: Int16
        public var type: WireType
    }

    let bytes: UnsafeRawBufferPointer
    public private(set) var position: Int
    private var lastFieldIds: [Int16] = []
    private var lastFieldId: Int16 = 0
    static let maxDepth = 64

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.position = 0
    }

    public var remaining: Int { bytes.count - position }

    func fail(_ what: String) -> ParquetError {
        ParquetError.corrupt("thrift: \(what) at byte \(position)")
    }

    public mutating func readByte() throws(ParquetError) -> UInt8 {
        guard position < bytes.count else { throw fail("unexpected end of data") }
        let b = bytes[position]
        position += 1
        return b
    }

    public mutating func readVarint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            if shift == 63 && b > 1 { throw fail("varint overflows 64 bits") }
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw fail("varint longer than 10 bytes") }
        }
    }

    public mutating func readZigzag() throws(ParquetError) -> Int64 {
        let v = try readVarint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    public mutating func readI64() throws(ParquetError) -> Int64 { try readZigzag() }

    public mutating func readI32() throws(ParquetError) -> Int32 {
        let v = try readZigzag()
        guard let narrow = Int32(exactly: v) else { throw fail("i32 value \(v) out of range") }
        return narrow
    }

    public mutating func readI16() throws(ParquetError) -> Int16 {
        let v = try readZigzag()
        guard let narrow = Int16(exactly: v) else { throw fail("i16 value \(v) out of range") }
        return narrow
    }

    public mutating func readI8() throws(ParquetError) -> Int8 { Int8(bitPattern: try readByte()) }

    public mutating func readDouble() throws(ParquetError) -> Double {
        guard remaining >= 8 else { throw fail("unexpected end of data in a double") }
        let bits = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    public mutating func readBinary() throws(ParquetError) -> [UInt8] {
        let length = try readVarint()
        guard length <= UInt64(remaining) else { throw fail("binary of \(length) bytes exceeds the \(remaining) remaining") }
        let n = Int(length)
        let out = Array(UnsafeRawBufferPointer(rebasing: bytes[position..<(position + n)]))
        position += n
        return out
    }

    public mutating func readString() throws(ParquetError) -> String {
        String(decoding: try readBinary(), as: UTF8.self)
    }

    /// Reads a list header: element type and count (checked against the bytes left).
    public mutating func readListHeader() throws(ParquetError) -> (elementType: WireType, count: Int) {
        let header = try readByte()
        var size = UInt64(header >> 4)
        if size == 15 { size = try readVarint() }
        guard let type = WireType(rawValue: header & 0x0f) else { throw fail("unknown list element type \(header & 0x0f)") }
        // Every element takes at least one byte (booleans included), so a larger count is a lie.
        guard size <= UInt64(remaining) else { throw fail("list of \(size) elements exceeds the \(remaining) bytes left") }
        return (type, Int(size))
    }

    public mutating func readMapHeader() throws(ParquetError) -> (keyType: WireType, valueType: WireType, count: Int) {
        let size = try readVarint()
        guard size > 0 else { return (.stop, .stop, 0) }
        guard size <= UInt64(remaining) else { throw fail("map of \(size) entries exceeds the \(remaining) bytes left") }
        let types = try readByte()
        guard let k = WireType(rawValue: types >> 4), let v = WireType(rawValue: types & 0x0f) else {
            throw fail("unknown map key/value types \(types)")
        }
        return (k, v, Int(size))
    }

    public mutating func structBegin() throws(ParquetError) {
        guard lastFieldIds.count < Self.maxDepth else { throw fail("structs nested deeper than \(Self.maxDepth)") }
        lastFieldIds.append(lastFieldId)
        lastFieldId = 0
    }

    public mutating func structEnd() {
        lastFieldId = lastFieldIds.popLast() ?? 0
    }

    /// The next field header, nil at STOP.
    public mutating func readFieldHeader() throws(ParquetError) -> FieldHeader? {
        let byte = try readByte()
        guard let type = WireType(rawValue: byte & 0x0f) else { throw fail("unknown field type \(byte & 0x0f)") }
        if type == .stop { return nil }
        let delta = Int16(byte >> 4)
        if delta != 0 {
            let (id, overflow) = lastFieldId.addingReportingOverflow(delta)
            guard !overflow else { throw fail("field id overflow") }
            lastFieldId = id
        } else {
            lastFieldId = try readI16()
        }
        return FieldHeader(id: lastFieldId, type: type)
    }

    /// The value of a bool field (held in its header's type).
    public func boolValue(_ header: FieldHeader) -> Bool { header.type == .boolTrue }

    /// Skips a value of `type`, recursing at most `maxDepth` levels.
    public mutating func skip(_ type: WireType, depth: Int = 0) throws(ParquetError) {
        guard depth < Self.maxDepth else { throw fail("values nested deeper than \(Self.maxDepth)") }
        switch type {
        case .stop: throw fail("unexpected STOP")
        case .boolTrue, .boolFalse: break
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double:
            guard remaining >= 8 else { throw fail("unexpected end of data in a double") }
            position += 8
        case .binary:
            let length = try readVarint()
            guard length <= UInt64(remaining) else { throw fail("binary of \(length) bytes exceeds the \(remaining) remaining") }
            position += Int(length)
        case .list, .set:
            let (elementType, count) = try readListHeader()
            for _ in 0..<count {
                if elementType == .boolTrue || elementType == .boolFalse { _ = try readByte() } else { try skip(elementType, depth: depth + 1) }
            }
        case .map:
            let (k, v, count) = try readMapHeader()
            for _ in 0..<count {
                try skip(k, depth: depth + 1)
                try skip(v, depth: depth + 1)
            }
        case .structure:
            try structBegin()
            while let field = try readFieldHeader() { try skip(field.type, depth: depth + 1) }
            structEnd()
        }
    }

    /// Reads a list of elements with `element`, checking the wire type.
    public mutating func readList<T>(_ expected: WireType, _ element: (inout ThriftCompactReader) throws(ParquetError) -> T) throws(ParquetError) -> [T] {
        let (type, count) = try readListHeader()
        let compatible = type == expected || (expected == .boolTrue && (type == .boolTrue || type == .boolFalse))
            || (expected == .byte && type == .byte)
        guard compatible || count == 0 else { throw fail("list of \(type) where \(expected) was expected") }
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self)) }
        return out
    }

    /// Reads a struct: `field` is called for every field header and must consume
    /// the value (or call `skip`).
    public mutating func readStruct(_ field: (inout ThriftCompactReader, FieldHeader) throws(ParquetError) -> Void) throws(ParquetError) {
        try structBegin()
        while let header = try readFieldHeader() { try field(&self, header) }
        structEnd()
    }
}
