/// Every failure of the Parquet module is a `ParquetError`: a category a caller
/// can act on (the conformance corpus names the same categories) and a message
/// that says what and where (column, page, byte offset).
public struct ParquetError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The bytes do not form a valid Parquet file.
        case corrupt
        /// A valid file that uses something this reader does not implement.
        case unsupported
        /// Parquet Modular Encryption, and no keys were given.
        case encrypted
        /// A page CRC does not match its bytes.
        case checksum
        /// The file could not be read from its store.
        case io
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func corrupt(_ message: String) -> ParquetError { ParquetError(.corrupt, message) }
    public static func unsupported(_ message: String) -> ParquetError { ParquetError(.unsupported, message) }

    public var description: String { "\(kind.rawValue): \(message)" }

    /// The same error with context prepended, e.g. "column a.b, page 3: ...".
    public func context(_ prefix: String) -> ParquetError {
        ParquetError(kind, "\(prefix): \(message)")
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for bodies that throw `ParquetError` (the standard
    /// library's version is `rethrows`, which erases the error type).
    func withParquetBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ParquetError) -> R) throws(ParquetError) -> R {
        do {
            return try withUnsafeBytes { try body($0) }
        } catch let error as ParquetError {
            throw error
        } catch {
            throw ParquetError.corrupt("\(error)")
        }
    }
}
