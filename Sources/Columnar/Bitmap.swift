/// A packed bit vector, LSB first within 64-bit words (Arrow's validity layout,
/// a word at a time). Used for validity (bit set = value present) and for
/// filter results. Bits past `count` in the last word are kept zero.
public struct Bitmap: Sendable, Equatable {
    @usableFromInline internal(set) var _words: [UInt64]
    @inlinable public var words: [UInt64] { _words }
    public private(set) var count: Int

    public init() {
        _words = []
        count = 0
    }

    /// `count` bits, all set to `value`.
    public init(repeating value: Bool, count: Int) {
        self.count = count
        let wordCount = (count + 63) >> 6
        _words = [UInt64](repeating: value ? ~0 : 0, count: wordCount)
        if value { clearTail() }
    }

    public init(_ bits: some Sequence<Bool>) {
        self.init()
        for b in bits { append(b) }
    }

    /// Adopts whole words; bits at and past `count` are cleared.
    public init(words: [UInt64], count: Int) {
        precondition(words.count == (count + 63) >> 6, "word count does not match bit count")
        self._words = words
        self.count = count
        clearTail()
    }

    @inlinable
    public subscript(index: Int) -> Bool {
        get { _words[index >> 6] & (1 << UInt64(index & 63)) != 0 }
        set {
            if newValue { _words[index >> 6] |= 1 << UInt64(index & 63) }
            else { _words[index >> 6] &= ~(1 << UInt64(index & 63)) }
        }
    }

    public mutating func append(_ bit: Bool) {
        if count & 63 == 0 { _words.append(0) }
        if bit { _words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    public mutating func reserveCapacity(_ bits: Int) {
        _words.reserveCapacity((bits + 63) >> 6)
    }

    /// Number of set bits.
    public var setCount: Int {
        var n = 0
        for w in words { n += w.nonzeroBitCount }
        return n
    }

    public var allSet: Bool { setCount == count }

    private mutating func clearTail() {
        let rem = count & 63
        if rem != 0, !_words.isEmpty { _words[_words.count - 1] &= (1 << UInt64(rem)) - 1 }
    }
}
