import NIOCore

/// The protocol's primitive fields: NUL-terminated strings and big-endian
/// integers (NIO's integer helpers are big-endian by default).
extension ByteBuffer {
    /// Reads a NUL-terminated UTF-8 string; nil when no NUL is left in the buffer.
    mutating func readCString() -> String? {
        guard let nul = readableBytesView.firstIndex(of: 0) else { return nil }
        let length = nul - readerIndex
        let text = readString(length: length)
        moveReaderIndex(forwardBy: 1)
        return text
    }

    mutating func writeCString(_ text: String) {
        writeString(text)
        writeInteger(UInt8(0))
    }

    /// Writes a typed message: type byte, length placeholder, body, then the length.
    mutating func writeMessage(_ type: UInt8, _ body: (inout ByteBuffer) -> Void) {
        writeInteger(type)
        let lengthIndex = writerIndex
        writeInteger(Int32(0))
        body(&self)
        setInteger(Int32(writerIndex - lengthIndex), at: lengthIndex)
    }
}
