/// Writes Thrift's compact protocol (the layout is described in ThriftCompactReader.swift):
/// field headers as `dddd tttt` with a 1..15 id delta or `0000 tttt` + zigzag id,
/// zigzag varint integers, 8-byte little-endian doubles, length-prefixed binary,
/// bool fields in the header's type, list headers `ssss tttt` (size 15 = varint
/// follows), and STOP (0x00) at the end of every struct.
public struct ThriftCompactWriter: Sendable {
    public typealias WireType = ThriftCompactReader.WireType

    public var bytes: [UInt8] = []
    private var lastFieldIds: [Int16] = []
    private var lastFieldId: Int16 = 0

    public init() {}

    // MARK: Scalars

    public mutating func writeByte(_ b: UInt8) { bytes.append(b) }

    public mutating func writeI8(_ v: Int8) { bytes.append(UInt8(bitPattern: v)) }

    public mutating func writeVarint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func writeZigzag(_ v: Int64) {
        writeVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    public mutating func writeI16(_ v: Int16) { writeZigzag(Int64(v)) }
    public mutating func writeI32(_ v: Int32) { writeZigzag(Int64(v)) }
    public mutating func writeI64(_ v: Int64) { writeZigzag(v) }

    public mutating func writeDouble(_ d: Double) {
        let bits = d.bitPattern
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(8 * i))) }
    }

    public mutating func writeBinary(_ b: [UInt8]) {
        writeVarint(UInt64(b.count))
        bytes.append(contentsOf: b)
    }

    public mutating func writeBinary(_ b: UnsafeRawBufferPointer) {
        writeVarint(UInt64(b.count))
        bytes.append(contentsOf: b)
    }

    public mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A bool as an element of a list, set or map (1 true, 2 false, as Thrift's C++ and Java write it).
    public mutating func writeBoolElement(_ v: Bool) { bytes.append(v ? 1 : 2) }

    // MARK: Structure

    /// A field header: a 1..15 delta from the previous field id when possible, else the long form.
    public mutating func fieldHeader(_ id: Int16, _ type: WireType) {
        let delta = Int(id) - Int(lastFieldId)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeI16(id)
        }
        lastFieldId = id
    }

    /// A bool field: the value is the header's type.
    public mutating func boolField(_ id: Int16, _ v: Bool) { fieldHeader(id, v ? .boolTrue : .boolFalse) }

    /// STOP: ends a struct's fields (`structEnd` writes it).
    public mutating func writeStop() { bytes.append(0) }

    /// Starts a struct (at top level or after its field header / list header).
    public mutating func structBegin() {
        lastFieldIds.append(lastFieldId)
        lastFieldId = 0
    }

    /// Writes STOP and returns to the enclosing struct.
    public mutating func structEnd() {
        writeStop()
        lastFieldId = lastFieldIds.popLast() ?? 0
    }

    public mutating func listHeader(_ type: WireType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xf0 | type.rawValue)
            writeVarint(UInt64(count))
        }
    }

    public mutating func setHeader(_ type: WireType, count: Int) { listHeader(type, count: count) }

    public mutating func mapHeader(key: WireType, value: WireType, count: Int) {
        writeVarint(UInt64(count))
        if count > 0 { bytes.append(key.rawValue << 4 | value.rawValue) }
    }

    // MARK: Field helpers (`nil` writes nothing)

    public mutating func field(_ id: Int16, i32 v: Int32?) { if let v { fieldHeader(id, .i32); writeI32(v) } }
    public mutating func field(_ id: Int16, i64 v: Int64?) { if let v { fieldHeader(id, .i64); writeI64(v) } }
    public mutating func field(_ id: Int16, i16 v: Int16?) { if let v { fieldHeader(id, .i16); writeI16(v) } }
    public mutating func field(_ id: Int16, i8 v: Int8?) { if let v { fieldHeader(id, .byte); writeI8(v) } }
    public mutating func field(_ id: Int16, bool v: Bool?) { if let v { boolField(id, v) } }
    public mutating func field(_ id: Int16, binary v: [UInt8]?) { if let v { fieldHeader(id, .binary); writeBinary(v) } }
    public mutating func field(_ id: Int16, string v: String?) { if let v { fieldHeader(id, .binary); writeString(v) } }
    public mutating func field(_ id: Int16, double v: Double?) { if let v { fieldHeader(id, .double); writeDouble(v) } }

    public mutating func field<T: ThriftStruct>(_ id: Int16, struct v: T?) {
        if let v {
            fieldHeader(id, .structure)
            v.write(to: &self)
        }
    }

    /// A field holding an empty struct (the members of Parquet's "enum-like" unions).
    public mutating func emptyStructField(_ id: Int16) {
        fieldHeader(id, .structure)
        structBegin()
        structEnd()
    }

    public mutating func field<T: ThriftStruct>(_ id: Int16, structs v: [T]?) {
        if let v {
            fieldHeader(id, .list)
            listHeader(.structure, count: v.count)
            for e in v { e.write(to: &self) }
        }
    }

    public mutating func field(_ id: Int16, i32s v: [Int32]?) {
        if let v {
            fieldHeader(id, .list)
            listHeader(.i32, count: v.count)
            for e in v { writeI32(e) }
        }
    }

    public mutating func field(_ id: Int16, i64s v: [Int64]?) {
        if let v {
            fieldHeader(id, .list)
            listHeader(.i64, count: v.count)
            for e in v { writeI64(e) }
        }
    }

    public mutating func field(_ id: Int16, bools v: [Bool]?) {
        if let v {
            fieldHeader(id, .list)
            listHeader(.boolTrue, count: v.count)
            for e in v { writeBoolElement(e) }
        }
    }

    public mutating func field(_ id: Int16, binaries v: [[UInt8]]?) {
        if let v {
            fieldHeader(id, .list)
            listHeader(.binary, count: v.count)
            for e in v { writeBinary(e) }
        }
    }

    public mutating func field(_ id: Int16, strings v: [String]?) {
        if let v {
            fieldHeader(id, .list)
            listHeader(.binary, count: v.count)
            for e in v { writeString(e) }
        }
    }
}

/// A Thrift struct that can be read and written in the compact protocol.
public protocol ThriftStruct: Sendable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError)
    func write(to writer: inout ThriftCompactWriter)
}

extension ThriftStruct {
    /// The struct's compact encoding.
    public func encoded() -> [UInt8] {
        var w = ThriftCompactWriter()
        write(to: &w)
        return w.bytes
    }

    /// Decodes one struct from the start of `bytes` (trailing bytes are ignored).
    public static func decoded(from bytes: UnsafeRawBufferPointer) throws(ParquetError) -> Self {
        var r = ThriftCompactReader(bytes)
        return try Self(from: &r)
    }

    /// Decodes one struct from the start of `bytes` (trailing bytes are ignored).
    public static func decoded(from bytes: [UInt8]) throws(ParquetError) -> Self {
        try bytes.withParquetBytes { (raw) throws(ParquetError) in try decoded(from: raw) }
    }
}
