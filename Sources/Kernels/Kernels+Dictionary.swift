import Columnar

/// Dictionary kernels: work on a dictionary's distinct values once, then map
/// the answer through the rows' indices (`Column.Storage.dictionary`).
///
/// A predicate on a dictionary column is evaluated on the dictionary (a mask
/// with one byte per entry, from any compare kernel) and turned into a row mask
/// by `mask(fromEntryMask:indices:)`: one byte gather per row instead of a
/// string comparison per row. Indices are trusted (Parquet's reader validates
/// them); null rows must still hold an in-range index (the reader stores 0).
extension Kernels {
    /// `out[i] = entryMask[indices[i]]`: a per-entry predicate result as a per-row mask.
    /// With an empty dictionary (every row null) the mask is all 0.
    @inlinable
    public static func mask(
        fromEntryMask entryMask: UnsafeBufferPointer<UInt8>, indices: UnsafeBufferPointer<Int32>,
        into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        let n = indices.count
        precondition(out.count >= n, "output shorter than the indices")
        let e = _base(entryMask), idx = _base(indices), o = _base(out)
        guard !entryMask.isEmpty else {
            for i in 0..<n { o[i] = 0 }
            return
        }
        for i in 0..<n {
            let k = Int(idx[i])
            assert(k >= 0 && k < entryMask.count, "dictionary index out of range")
            o[i] = e[k]
        }
    }

    /// `out[i] = dictionary[indices[i]]`: fixed-width dictionary values decoded for each row.
    @inlinable
    public static func decode<T: BitwiseCopyable>(
        dictionary: UnsafeBufferPointer<T>, indices: UnsafeBufferPointer<Int32>, into out: UnsafeMutableBufferPointer<T>
    ) {
        take(dictionary, indices: indices, into: out)
    }

    /// Fixed-width dictionary values decoded for each row.
    @inlinable
    public static func decode<T: BitwiseCopyable>(dictionary: UnsafeBufferPointer<T>, indices: UnsafeBufferPointer<Int32>) -> [T] {
        take(dictionary, indices: indices)
    }

    /// Byte-string dictionary values decoded for each row: new offsets and data.
    @inlinable
    public static func decode(
        dictionaryOffsets: UnsafeBufferPointer<Int>, dictionaryData: UnsafeBufferPointer<UInt8>, indices: UnsafeBufferPointer<Int32>
    ) -> (offsets: [Int], data: [UInt8]) {
        take(offsets: dictionaryOffsets, data: dictionaryData, indices: indices)
    }

    /// `out[i] = entryHashes[indices[i]]`: hash a dictionary's entries once, then each row by lookup.
    @inlinable
    public static func hashes(
        fromEntryHashes entryHashes: UnsafeBufferPointer<UInt64>, indices: UnsafeBufferPointer<Int32>,
        validity: Bitmap? = nil, into out: UnsafeMutableBufferPointer<UInt64>
    ) {
        precondition(out.count >= indices.count, "output shorter than the indices")
        let e = _base(entryHashes), idx = _base(indices), empty = entryHashes.isEmpty
        _hashColumn(indices.count, validity, out, combining: false) { i in
            empty ? nullHash : e[Int(idx[i])]
        }
    }
}
