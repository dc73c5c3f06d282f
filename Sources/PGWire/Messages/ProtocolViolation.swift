/// A frontend message that breaks the protocol: malformed, truncated, too long
/// or unexpected. Sent as an ErrorResponse (SQLSTATE 08P01) where the protocol
/// allows one, then the connection closes.
public struct ProtocolViolation: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
