/// Writes Thrift's compact protocol (layout in ThriftCompactReader.swift).
public struct ThriftCompactWriter: Sendable {
    public var bytes: [UInt8] = []
    private var lastFieldIds: [Int16] = []
    private var lastFieldId: Int16 = 0

    public init() {}

    public mutating func writeVarint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func writeZigzag(_ v: Int64) {
        writeVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    public mutating func fieldHeader(_ id: Int16, _ type: ThriftCompactReader.WireType) {
        let delta = id - lastFieldId
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeZigzag(Int64(id))
        }
        lastFieldId = id
    }

    public mutating func structBegin() {
        lastFieldIds.append(lastFieldId)
        lastFieldId = 0
    }

    public mutating func structEnd() {
        bytes.append(0)  // STOP
        lastFieldId = lastFieldIds.popLast() ?? 0
    }

    public mutating func writeBinary(_ b: [UInt8]) {
        writeVarint(UInt64(b.count))
        bytes.append(contentsOf: b)
    }

    public mutating func writeString(_ s: String) { writeBinary(Array(s.utf8)) }

    public mutating func writeDouble(_ d: Double) {
        withUnsafeBytes(of: d.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func listHeader(_ type: ThriftCompactReader.WireType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xf0 | type.rawValue)
            writeVarint(UInt64(count))
        }
    }

    // Field helpers: `nil` writes nothing.
    public mutating func field(_ id: Int16, i32 v: Int32?) { if let v { fieldHeader(id, .i32); writeZigzag(Int64(v)) } }
    public mutating func field(_ id: Int16, i64 v: Int64?) { if let v { fieldHeader(id, .i64); writeZigzag(v) } }
    public mutating func field(_ id: Int16, i16 v: Int16?) { if let v { fieldHeader(id, .i16); writeZigzag(Int64(v)) } }
    public mutating func field(_ id: Int16, i8 v: Int8?) { if let v { fieldHeader(id, .byte); bytes.append(UInt8(bitPattern: v)) } }
    public mutating func field(_ id: Int16, bool v: Bool?) { if let v { fieldHeader(id, v ? .boolTrue : .boolFalse) } }
    public mutating func field(_ id: Int16, binary v: [UInt8]?) { if let v { fieldHeader(id, .binary); writeBinary(v) } }
    public mutating func field(_ id: Int16, string v: String?) { if let v { fieldHeader(id, .binary); writeString(v) } }
    public mutating func field(_ id: Int16, double v: Double?) { if let v { fieldHeader(id, .double); writeDouble(v) } }

    public mutating func field<T: ThriftStruct>(_ id: Int16, struct v: T?) {
        if let v {
            fieldHeader(id, .structure)
            v.write(to: &self)
        }
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
            for e in v { writeZigzag(Int64(e)) }
        }
    }

    public mutating func field(_ id: Int16, i64s v: [Int64]?) {
        if let v {
            fieldHeader(id, .list)
            listHeader(.i64, count: v.count)
            for e in v { writeZigzag(e) }
        }
    }

    public mutating func field(_ id: Int16, bools v: [Bool]?) {
        if let v {
            fieldHeader(id, .list)
            listHeader(.boolTrue, count: v.count)
            for e in v { bytes.append(e ? 1 : 2) }
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
}
