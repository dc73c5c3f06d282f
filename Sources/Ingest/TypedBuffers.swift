/// `withUnsafe...Bytes` rethrow untyped errors; these keep `IngestError` typed.
extension Array where Element == UInt8 {
    mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws(IngestError) -> R) throws(IngestError) -> R {
        var outcome: Result<R, IngestError>?
        withUnsafeMutableBytes { b in
            do throws(IngestError) { outcome = .success(try body(b)) } catch { outcome = .failure(error) }
        }
        return try outcome!.get()
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(IngestError) -> R) throws(IngestError) -> R {
        var outcome: Result<R, IngestError>?
        withUnsafeBytes { b in
            do throws(IngestError) { outcome = .success(try body(b)) } catch { outcome = .failure(error) }
        }
        return try outcome!.get()
    }
}
