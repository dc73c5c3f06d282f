/// OIDs for the lake's schemas and tables, stable across statements and processes so
/// that an oid a client read in one query (`c.oid` from pg_class) finds the same object
/// in the next (`WHERE a.attrelid = '16386'`): a hash of the name into PostgreSQL's
/// range for user objects (16384 and up), collisions resolved by probing in name order.
enum ObjectIdentifiers {
    /// PostgreSQL's first OID for objects created after initdb.
    static let firstUserOID: Int32 = 16384
    /// Built-in objects without a fixed PostgreSQL OID get one below `firstUserOID`.
    static let firstSystemOID: Int32 = 12000

    /// Deterministic OIDs for `keys` (distinct, e.g. "n:sales" for a schema, "r:sales.orders" for a table),
    /// avoiding `taken`, in `range`.
    static func assign(_ keys: [String], avoiding taken: Set<Int32> = [], in range: Range<Int32>) -> [String: Int32] {
        var used = taken
        var result: [String: Int32] = [:]
        let span = UInt32(range.upperBound - range.lowerBound)
        for key in keys.sorted() where result[key] == nil {
            var candidate = range.lowerBound + Int32(fnv1a(key) % span)
            while used.contains(candidate) {
                candidate = candidate + 1 < range.upperBound ? candidate + 1 : range.lowerBound
            }
            used.insert(candidate)
            result[key] = candidate
        }
        return result
    }

    /// 32-bit FNV-1a over the UTF-8 bytes (stable across runs, unlike `Hasher`).
    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }
}
