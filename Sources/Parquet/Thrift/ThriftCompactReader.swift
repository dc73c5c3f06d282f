/// Thrift's compact protocol, the encoding of Parquet's footer, page headers,
/// page index and bloom filter headers (thrift/doc/specs/thrift-compact-protocol.md):
/// - struct: a sequence of fields, then one STOP byte (0x00);
/// - field header: one byte `dddd tttt` where `dddd` (1..15) is the delta from the
///   previous field id of the same struct and `tttt` the type; with `dddd` = 0 the
///   field id follows as a zigzag varint (i16). Nested structs restart the delta at 0;
/// - types: 1 BOOL_TRUE, 2 BOOL_FALSE, 3 BYTE, 4 I16, 5 I32, 6 I64, 7 DOUBLE,
///   8 BINARY (also string), 9 LIST, 10 SET, 11 MAP, 12 STRUCT;
/// - a bool field has no payload: its value is its type (1 true, 2 false); a bool
///   inside a list, set or map is one byte (1 true, anything else false);
/// - byte: one byte; i16/i32/i64: zigzag-encoded ULEB128 varint (at most 10 bytes);
/// - double: 8 bytes little-endian IEEE 754;
/// - binary/string: ULEB128 length, then that many bytes;
/// - list/set: one byte `ssss tttt` (size 0..14, element type); size nibble 15 means
///   the size follows as a ULEB128 varint; then the elements;
/// - map: ULEB128 size; if non-zero one byte `kkkk vvvv` (key, value types); then the pairs.
///
/// Every read is bounds-checked and every failure is a `ParquetError.corrupt`
/// ("thrift: ... at byte N"): truncated input, over-long varints, out-of-range
/// integers, lengths and element counts larger than the bytes left (checked
/// before anything is allocated), and nesting deeper than `maxDepth`.
public struct ThriftCompactReader {
    public enum WireType: UInt8, Sendable, CustomStringConvertible {
        case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6
        case double = 7, binary = 8, list = 9, set = 10, map = 11, structure = 12

        public var isBool: Bool { self == .boolTrue || self == .boolFalse }

        public var description: String {
            switch self {
            case .stop: "STOP"
            case .boolTrue, .boolFalse: "BOOL"
            case .byte: "BYTE"
            case .i16: "I16"
            case .i32: "I32"
            case .i64: "I64"
            case .double: "DOUBLE"
            case .binary: "BINARY"
            case .list: "LIST"
            case .set: "SET"
            case .map: "MAP"
            case .structure: "STRUCT"
            }
        }
    }

    public struct FieldHeader: Sendable, Hashable {
        public var id: Int16
        public var type: WireType

        public init(id: Int16, type: WireType) {
            self.id = id
            self.type = type
        }
    }

    /// Deepest nesting of structs, lists, sets and maps accepted.
    public static let maxDepth = 64

    /// The bytes read (not owned: the caller keeps them alive while reading).
    public let bytes: UnsafeRawBufferPointer
    /// Offset of the next byte to read.
    public var position: Int
    private var lastFieldIds: [Int16] = []
    private var lastFieldId: Int16 = 0
    /// Containers (lists, sets, maps) currently open; structs are counted by `lastFieldIds`.
    private var containerDepth = 0

    public init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// Bytes left after `position` (0 if `position` is out of range).
    public var remaining: Int {
        position >= 0 && position <= bytes.count ? bytes.count - position : 0
    }

    /// Current nesting (structs and containers being read).
    public var depth: Int { lastFieldIds.count + containerDepth }

    /// A `corrupt` error at the current position.
    public func fail(_ what: String) -> ParquetError {
        ParquetError.corrupt("thrift: \(what) at byte \(position)")
    }

    @inline(__always)
    private func require(_ count: Int, _ what: String) throws(ParquetError) {
        guard position >= 0, position <= bytes.count, count <= bytes.count - position else {
            throw fail("unexpected end of data in \(what) (\(count) bytes needed, \(remaining) left)")
        }
    }

    // MARK: Scalars

    public mutating func readByte() throws(ParquetError) -> UInt8 {
        try require(1, "a byte")
        let b = bytes[position]
        position += 1
        return b
    }

    public mutating func readI8() throws(ParquetError) -> Int8 { Int8(bitPattern: try readByte()) }

    /// A ULEB128 varint of at most 10 bytes that fits in 64 bits.
    public mutating func readVarint() throws(ParquetError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        for i in 0..<10 {
            let b = try readByte()
            if i == 9 && b > 1 {
                position = start
                throw fail("varint overflows 64 bits")
            }
            result |= UInt64(b & 0x7f) << UInt64(7 * i)
            if b & 0x80 == 0 { return result }
        }
        position = start
        throw fail("varint longer than 10 bytes")
    }

    public mutating func readZigzag() throws(ParquetError) -> Int64 {
        let v = try readVarint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    public mutating func readI64() throws(ParquetError) -> Int64 { try readZigzag() }

    public mutating func readI32() throws(ParquetError) -> Int32 {
        let start = position
        let v = try readZigzag()
        guard let narrow = Int32(exactly: v) else {
            position = start
            throw fail("i32 value \(v) out of range")
        }
        return narrow
    }

    public mutating func readI16() throws(ParquetError) -> Int16 {
        let start = position
        let v = try readZigzag()
        guard let narrow = Int16(exactly: v) else {
            position = start
            throw fail("i16 value \(v) out of range")
        }
        return narrow
    }

    public mutating func readDouble() throws(ParquetError) -> Double {
        try require(8, "a double")
        let bits = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    /// A bool stored as an element of a list, set or map (one byte, 1 = true).
    /// A bool *field* has no payload: use `boolValue(_:)` on its header.
    public mutating func readBoolElement() throws(ParquetError) -> Bool { try readByte() == 1 }

    /// The value of a bool field (held in its header's type).
    public func boolValue(_ header: FieldHeader) -> Bool { header.type == .boolTrue }

    private mutating func readLength(_ what: String) throws(ParquetError) -> Int {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            let left = remaining
            position = start
            throw fail("\(what) of \(length) bytes exceeds the \(left) bytes left")
        }
        return Int(length)
    }

    /// Binary: varint length, then the bytes (copied).
    public mutating func readBinary() throws(ParquetError) -> [UInt8] {
        let n = try readLength("binary")
        let out = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[position..<(position + n)]))
        position += n
        return out
    }

    /// Binary without copying: a view into `bytes`.
    public mutating func readBinaryView() throws(ParquetError) -> UnsafeRawBufferPointer {
        let n = try readLength("binary")
        let out = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + n)])
        position += n
        return out
    }

    /// A string: binary decoded as UTF-8 (invalid sequences become U+FFFD).
    public mutating func readString() throws(ParquetError) -> String {
        let n = try readLength("string")
        let out = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + n)]), as: UTF8.self)
        position += n
        return out
    }

    // MARK: Containers

    private func wireType(_ raw: UInt8, _ what: String) throws(ParquetError) -> WireType {
        guard let type = WireType(rawValue: raw) else { throw fail("unknown \(what) type \(raw)") }
        return type
    }

    /// A list header: element type and count. Every element takes at least one
    /// byte, so a count larger than the bytes left is rejected here, before any
    /// caller allocates for it.
    public mutating func readListHeader() throws(ParquetError) -> (elementType: WireType, count: Int) {
        let start = position
        let header = try readByte()
        var size = UInt64(header >> 4)
        if size == 15 { size = try readVarint() }
        let type = try wireType(header & 0x0f, "list element")
        if size > 0 && type == .stop {
            position = start
            throw fail("list of STOP elements")
        }
        guard size <= UInt64(remaining) else {
            let left = remaining
            position = start
            throw fail("list of \(size) elements exceeds the \(left) bytes left")
        }
        return (type, Int(size))
    }

    /// A set header (same layout as a list).
    public mutating func readSetHeader() throws(ParquetError) -> (elementType: WireType, count: Int) {
        try readListHeader()
    }

    /// A map header: key and value types (`.stop` for an empty map) and the entry count.
    public mutating func readMapHeader() throws(ParquetError) -> (keyType: WireType, valueType: WireType, count: Int) {
        let start = position
        let size = try readVarint()
        if size == 0 { return (.stop, .stop, 0) }
        let types = try readByte()
        let k = try wireType(types >> 4, "map key")
        let v = try wireType(types & 0x0f, "map value")
        if k == .stop || v == .stop {
            position = start
            throw fail("map of STOP keys or values")
        }
        // Each entry is at least a one-byte key and a one-byte value.
        guard size <= UInt64(remaining / 2) else {
            let left = remaining
            position = start
            throw fail("map of \(size) entries exceeds the \(left) bytes left")
        }
        return (k, v, Int(size))
    }

    private mutating func enterContainer() throws(ParquetError) {
        guard depth < Self.maxDepth else { throw fail("values nested deeper than \(Self.maxDepth)") }
        containerDepth += 1
    }

    private mutating func leaveContainer() {
        containerDepth = max(0, containerDepth - 1)
    }

    // MARK: Structs

    /// Starts reading a nested struct: field id deltas restart at 0.
    public mutating func structBegin() throws(ParquetError) {
        guard depth < Self.maxDepth else { throw fail("structs nested deeper than \(Self.maxDepth)") }
        lastFieldIds.append(lastFieldId)
        lastFieldId = 0
    }

    /// Ends a struct (after its STOP was read): restores the outer struct's last field id.
    public mutating func structEnd() {
        lastFieldId = lastFieldIds.popLast() ?? 0
    }

    /// The next field header of the current struct, nil at STOP.
    public mutating func readFieldHeader() throws(ParquetError) -> FieldHeader? {
        let start = position
        let byte = try readByte()
        guard let type = WireType(rawValue: byte & 0x0f) else {
            position = start
            throw fail("unknown field type \(byte & 0x0f)")
        }
        if type == .stop { return nil }
        let delta = Int16(byte >> 4)
        if delta != 0 {
            let (id, overflow) = lastFieldId.addingReportingOverflow(delta)
            guard !overflow else {
                position = start
                throw fail("field id overflows i16")
            }
            lastFieldId = id
        } else {
            lastFieldId = try readI16()
        }
        return FieldHeader(id: lastFieldId, type: type)
    }

    /// Reads a struct: `field` is called for every field header and must consume
    /// the field's value (or `skip` it).
    public mutating func readStruct(_ field: (inout ThriftCompactReader, FieldHeader) throws(ParquetError) -> Void) throws(ParquetError) {
        try structBegin()
        while let header = try readFieldHeader() { try field(&self, header) }
        structEnd()
    }

    /// Reads a list whose elements should have wire type `expected` (either bool
    /// type matches the other). Returns nil, having skipped the elements, when
    /// the list holds another type: a field of an unexpected shape is ignored,
    /// not an error.
    public mutating func readList<T>(_ expected: WireType,
                                     _ element: (inout ThriftCompactReader) throws(ParquetError) -> T) throws(ParquetError) -> [T]? {
        let (type, count) = try readListHeader()
        if count == 0 { return [] }
        try enterContainer()
        defer { leaveContainer() }
        guard type == expected || (type.isBool && expected.isBool) else {
            for _ in 0..<count { try skipValue(type, inContainer: true) }
            return nil
        }
        var out: [T] = []
        // count <= bytes left, but a decoded element may be far larger than its encoding.
        out.reserveCapacity(Swift.min(count, 1024))
        for _ in 0..<count { out.append(try element(&self)) }
        return out
    }

    // MARK: Skipping

    /// Skips the value of a field of wire type `type` (a bool field has no payload).
    public mutating func skip(_ type: WireType) throws(ParquetError) {
        try skipValue(type, inContainer: false)
    }

    /// Skips one element of a list, set or map of element type `type`.
    public mutating func skipElement(_ type: WireType) throws(ParquetError) {
        try skipValue(type, inContainer: true)
    }

    private mutating func skipValue(_ type: WireType, inContainer: Bool) throws(ParquetError) {
        switch type {
        case .stop:
            throw fail("unexpected STOP")
        case .boolTrue, .boolFalse:
            if inContainer { _ = try readByte() }
        case .byte:
            _ = try readByte()
        case .i16, .i32, .i64:
            _ = try readVarint()
        case .double:
            try require(8, "a double")
            position += 8
        case .binary:
            position += try readLength("binary")
        case .list, .set:
            let (elementType, count) = try readListHeader()
            guard count > 0 else { return }
            try enterContainer()
            for _ in 0..<count { try skipValue(elementType, inContainer: true) }
            leaveContainer()
        case .map:
            let (keyType, valueType, count) = try readMapHeader()
            guard count > 0 else { return }
            try enterContainer()
            for _ in 0..<count {
                try skipValue(keyType, inContainer: true)
                try skipValue(valueType, inContainer: true)
            }
            leaveContainer()
        case .structure:
            try structBegin()
            while let field = try readFieldHeader() { try skipValue(field.type, inContainer: false) }
            structEnd()
        }
    }
}
