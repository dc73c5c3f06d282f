import Columnar

/// Merges the top-level columns of a table's files into one schema.
///
/// Columns are united by name in first-seen order (files in path order). A
/// column some file lacks reads as NULL there, so it becomes nullable; so
/// does a column nullable in any file. The same name with different types in
/// two files is an error naming the column, both types and both files.
/// Nested types merge the same way inside (nullability widens; shapes and
/// struct field names must agree).
struct SchemaMerge {
    private var fields: [Field] = []
    /// Where each merged field was first seen (for conflict messages).
    private var firstSeen: [String] = []
    private var index: [String: Int] = [:]
    /// Per file added, in order: merged field index → the file's column index.
    private(set) var mappings: [[Int]] = []

    /// The last file's fields and mapping: files written alike (the usual case) merge once.
    private var last: (fields: [Field], mapping: [Int])?

    /// Adds one file's top-level fields; `location` names the file in errors.
    mutating func add(_ fileFields: [Field], location: String) throws(LakeError) {
        // The same columns as the previous file change nothing but the mappings.
        if let last, last.fields == fileFields {
            mappings.append(last.mapping)
            return
        }
        var mapping: [Int] = []
        var seenInFile: [String: Int] = [:]
        for (c, field) in fileFields.enumerated() {
            if let earlier = seenInFile[field.name] {
                throw LakeError(.schemaConflict, "\(location) has two columns named '\(field.name)' (columns \(earlier) and \(c))",
                                path: location)
            }
            seenInFile[field.name] = c
            if let i = index[field.name] {
                guard let merged = Self.merge(fields[i].type, field.type) else {
                    throw LakeError(.schemaConflict, "column '\(field.name)' is \(fields[i].type) in \(firstSeen[i]) but \(field.type) in \(location)",
                                    path: location)
                }
                fields[i].type = merged
                fields[i].nullable = fields[i].nullable || field.nullable
            } else {
                index[field.name] = fields.count
                fields.append(field)
                firstSeen.append(location)
            }
            mapping.append(index[field.name]!)
        }
        mappings.append(mapping)
        last = (fileFields, mapping)
    }

    /// Per file: for each merged field, the file's column index or nil.
    func columnIndices() -> [[Int?]] {
        mappings.map { mapping in
            var out = [Int?](repeating: nil, count: fields.count)
            for (c, i) in mapping.enumerated() { out[i] = c }
            return out
        }
    }

    /// The merged fields, with every field some file lacks made nullable.
    func mergedFields() -> [Field] {
        var out = fields
        for mapping in mappings where mapping.count < fields.count {
            var has = [Bool](repeating: false, count: fields.count)
            for i in mapping { has[i] = true }
            for i in out.indices where !has[i] { out[i].nullable = true }
        }
        return out
    }

    /// The common type of two files' columns, or nil when they conflict.
    static func merge(_ a: DataType, _ b: DataType) -> DataType? {
        switch (a, b) {
        case let (.list(x), .list(y)):
            guard let t = merge(x.type, y.type) else { return nil }
            return .list(Field(x.name, t, nullable: x.nullable || y.nullable))
        case let (.map(xk, xv), .map(yk, yv)):
            guard let k = merge(xk.type, yk.type), let v = merge(xv.type, yv.type) else { return nil }
            return .map(key: Field(xk.name, k, nullable: false), value: Field(xv.name, v, nullable: xv.nullable || yv.nullable))
        case let (.structure(xs), .structure(ys)):
            guard xs.count == ys.count else { return nil }
            var out: [Field] = []
            for (x, y) in zip(xs, ys) {
                guard x.name == y.name, let t = merge(x.type, y.type) else { return nil }
                out.append(Field(x.name, t, nullable: x.nullable || y.nullable))
            }
            return .structure(out)
        default:
            return a == b ? a : nil
        }
    }
}
