extension ParquetFile {
    /// The bloom filter of one column chunk, nil when it has none. Reads the
    /// Thrift `BloomFilterHeader` at `bloom_filter_offset`, then its bitset.
    public func bloomFilter(rowGroup: Int, leaf: Int) throws(ParquetError) -> SplitBlockBloomFilter? {
        guard rowGroup >= 0, rowGroup < metadata.rowGroups.count, leaf >= 0, leaf < metadata.rowGroups[rowGroup].columns.count else {
            throw ParquetError.corrupt("no column chunk \(leaf) in row group \(rowGroup)")
        }
        guard let meta = metadata.rowGroups[rowGroup].columns[leaf].metaData, let offset64 = meta.bloomFilterOffset else { return nil }
        let context = "bloom filter of column \(leaf), row group \(rowGroup)"
        let size = source.size
        guard offset64 >= 4, offset64 < Int64(size) else {
            throw ParquetError.corrupt("\(context): offset \(offset64) lies outside the file (\(size) bytes)")
        }
        let offset = Int(offset64)
        // The header is small; read it with the bitset when the length is known.
        var length = meta.bloomFilterLength.map { Int($0) } ?? min(size - offset, 256)
        guard length > 0, length <= size - offset else {
            throw ParquetError.corrupt("\(context): \(length) bytes at \(offset) run past the file's end")
        }
        var bytes = try source.read(offset: offset, length: length)
        let header: BloomFilterHeader
        let headerLength: Int
        do {
            (header, headerLength) = try Self.decodeBloomHeader(bytes)
        } catch {
            throw error.context(context)
        }
        guard header.algorithm == .block, header.hash == .xxhash, header.compression == .uncompressed else {
            throw ParquetError.unsupported("\(context): only uncompressed split-block filters with XXH64 are supported")
        }
        let numBytes = Int(header.numBytes)
        guard numBytes > 0, numBytes <= SplitBlockBloomFilter.maximumBytes, numBytes % SplitBlockBloomFilter.blockBytes == 0 else {
            throw ParquetError.corrupt("\(context): bitset of \(numBytes) bytes (a multiple of 32 up to 128 MiB expected)")
        }
        guard headerLength + numBytes <= size - offset else {
            throw ParquetError.corrupt("\(context): bitset of \(numBytes) bytes runs past the file's end")
        }
        if headerLength + numBytes > length {
            length = headerLength + numBytes
            bytes = try source.read(offset: offset, length: length)
        }
        return SplitBlockBloomFilter(bytes: Array(bytes[headerLength..<(headerLength + numBytes)]))
    }

    private static func decodeBloomHeader(_ bytes: [UInt8]) throws(ParquetError) -> (BloomFilterHeader, Int) {
        let result: Result<(BloomFilterHeader, Int), ParquetError> = bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            do throws(ParquetError) {
                let header = try BloomFilterHeader(from: &reader)
                return .success((header, reader.position))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
