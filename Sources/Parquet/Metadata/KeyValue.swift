/// `KeyValue`: an entry of key/value metadata (file or column chunk).
///   1: key  2: value
public struct KeyValue: ThriftStruct, Hashable {
    public var key: String
    public var value: String?

    public init(key: String, value: String? = nil) {
        self.key = key
        self.value = value
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        // `key` is required, but nothing needs it to read data: a missing key reads as "".
        var key = "", value: String?
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .binary): key = try r.readString()
            case (2, .binary): value = try r.readString()
            default: try r.skip(h.type)
            }
        }
        self.init(key: key, value: value)
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, string: key)
        w.field(2, string: value)
        w.structEnd()
    }
}
