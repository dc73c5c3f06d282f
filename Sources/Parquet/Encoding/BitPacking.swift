// Bit packing shared by the RLE/bit-packed hybrid (levels, dictionary indices,
// RLE booleans) and DELTA_BINARY_PACKED miniblocks (parquet-format Encodings.md).
// Values are packed LSB-first: value i of bit width w occupies bits
// [i*w, (i+1)*w) of a little-endian bit stream, so a group of 8 values fills
// exactly w bytes. Also the ULEB128 varints and zigzag mapping both encodings use.

/// Unpack/pack helpers and varints. Unpacking works a group of 8 values at a
/// time with unaligned 64-bit loads; the bit width is dispatched once per call
/// to a copy of the loop specialized for that constant width.
enum BitPacking {
    // MARK: loads

    @inline(__always)
    static func load64(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    static func mask64(_ w: Int) -> UInt64 {
        w >= 64 ? ~0 : (1 &<< UInt64(w)) &- 1
    }

    // MARK: unpack to UInt32 (bit widths 0...32)

    /// Unpacks `groups` groups of 8 values of width `bitWidth` (0...32) from `src` into
    /// `dst` (groups * 8 values). Reads at most `readable` bytes from `src`; bytes past
    /// that count as zero, so a truncated final group decodes with zero padding.
    static func unpack32(_ src: UnsafeRawPointer, readable: Int, groups: Int, bitWidth w: Int,
                         into dst: UnsafeMutablePointer<UInt32>) {
        guard groups > 0 else { return }
        guard w > 0 && w <= 32 else {
            dst.update(repeating: 0, count: groups &* 8)
            return
        }
        // Group g allows 8-byte loads anywhere in it when (g + 1) * w + 8 <= readable.
        let fast = readable >= 8 ? Swift.min(groups, (readable &- 8) / w) : 0
        if fast > 0 {
            switch w {
            case 1: unpack32Fast(W1.self, src, fast, dst)
            case 2: unpack32Fast(W2.self, src, fast, dst)
            case 3: unpack32Fast(W3.self, src, fast, dst)
            case 4: unpack32Fast(W4.self, src, fast, dst)
            case 5: unpack32Fast(W5.self, src, fast, dst)
            case 6: unpack32Fast(W6.self, src, fast, dst)
            case 7: unpack32Fast(W7.self, src, fast, dst)
            case 8: unpack32Fast(W8.self, src, fast, dst)
            case 9: unpack32Fast(W9.self, src, fast, dst)
            case 10: unpack32Fast(W10.self, src, fast, dst)
            case 11: unpack32Fast(W11.self, src, fast, dst)
            case 12: unpack32Fast(W12.self, src, fast, dst)
            case 13: unpack32Fast(W13.self, src, fast, dst)
            case 14: unpack32Fast(W14.self, src, fast, dst)
            case 15: unpack32Fast(W15.self, src, fast, dst)
            case 16: unpack32Fast(W16.self, src, fast, dst)
            case 17: unpack32Fast(W17.self, src, fast, dst)
            case 18: unpack32Fast(W18.self, src, fast, dst)
            case 19: unpack32Fast(W19.self, src, fast, dst)
            case 20: unpack32Fast(W20.self, src, fast, dst)
            case 21: unpack32Fast(W21.self, src, fast, dst)
            case 22: unpack32Fast(W22.self, src, fast, dst)
            case 23: unpack32Fast(W23.self, src, fast, dst)
            case 24: unpack32Fast(W24.self, src, fast, dst)
            case 25: unpack32Fast(W25.self, src, fast, dst)
            case 26: unpack32Fast(W26.self, src, fast, dst)
            case 27: unpack32Fast(W27.self, src, fast, dst)
            case 28: unpack32Fast(W28.self, src, fast, dst)
            case 29: unpack32Fast(W29.self, src, fast, dst)
            case 30: unpack32Fast(W30.self, src, fast, dst)
            case 31: unpack32Fast(W31.self, src, fast, dst)
            case 32: unpack32Fast(W32.self, src, fast, dst)
            default: break
            }
        }
        if fast < groups {
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 6) { tmp in
                let buf = UnsafeMutableRawPointer(tmp.baseAddress!)
                let mask = mask64(w)
                for g in fast..<groups {
                    tmp.update(repeating: 0)
                    let have = Swift.max(0, Swift.min(w, readable &- g &* w))
                    if have > 0 { buf.copyMemory(from: src + g &* w, byteCount: have) }
                    unpack8x32(UnsafeRawPointer(buf), w, mask, dst + g &* 8)
                }
            }
        }
    }

    /// Generic over the width so each width gets its own specialized copy with the
    /// shifts and masks folded to constants.
    @inline(__always)
    static func unpack32Fast<W: StaticBitWidth>(_: W.Type, _ src: UnsafeRawPointer, _ groups: Int,
                                                _ dst: UnsafeMutablePointer<UInt32>) {
        let w = W.width
        let mask = mask64(w)
        var s = src
        var d = dst
        for _ in 0..<groups {
            unpack8x32(s, w, mask, d)
            s += w
            d += 8
        }
    }

    @inline(__always)
    static func unpack8x32(_ s: UnsafeRawPointer, _ w: Int, _ mask: UInt64, _ d: UnsafeMutablePointer<UInt32>) {
        d[0] = UInt32(truncatingIfNeeded: load64(s, 0) & mask)
        d[1] = UInt32(truncatingIfNeeded: (load64(s, w >> 3) >> UInt64(w & 7)) & mask)
        d[2] = UInt32(truncatingIfNeeded: (load64(s, (2 * w) >> 3) >> UInt64((2 * w) & 7)) & mask)
        d[3] = UInt32(truncatingIfNeeded: (load64(s, (3 * w) >> 3) >> UInt64((3 * w) & 7)) & mask)
        d[4] = UInt32(truncatingIfNeeded: (load64(s, (4 * w) >> 3) >> UInt64((4 * w) & 7)) & mask)
        d[5] = UInt32(truncatingIfNeeded: (load64(s, (5 * w) >> 3) >> UInt64((5 * w) & 7)) & mask)
        d[6] = UInt32(truncatingIfNeeded: (load64(s, (6 * w) >> 3) >> UInt64((6 * w) & 7)) & mask)
        d[7] = UInt32(truncatingIfNeeded: (load64(s, (7 * w) >> 3) >> UInt64((7 * w) & 7)) & mask)
    }

    // MARK: unpack to UInt64 (bit widths 0...64)

    /// As `unpack32`, for widths 0...64 into UInt64 values.
    static func unpack64(_ src: UnsafeRawPointer, readable: Int, groups: Int, bitWidth w: Int,
                         into dst: UnsafeMutablePointer<UInt64>) {
        guard groups > 0 else { return }
        guard w > 0 && w <= 64 else {
            dst.update(repeating: 0, count: groups &* 8)
            return
        }
        // Widths above 56 may need a ninth byte per value.
        let fast = readable >= 9 ? Swift.min(groups, (readable &- 9) / w) : 0
        if fast > 0 {
            switch w {
            case 1: unpack64Fast(W1.self, src, fast, dst)
            case 2: unpack64Fast(W2.self, src, fast, dst)
            case 3: unpack64Fast(W3.self, src, fast, dst)
            case 4: unpack64Fast(W4.self, src, fast, dst)
            case 5: unpack64Fast(W5.self, src, fast, dst)
            case 6: unpack64Fast(W6.self, src, fast, dst)
            case 7: unpack64Fast(W7.self, src, fast, dst)
            case 8: unpack64Fast(W8.self, src, fast, dst)
            case 9: unpack64Fast(W9.self, src, fast, dst)
            case 10: unpack64Fast(W10.self, src, fast, dst)
            case 11: unpack64Fast(W11.self, src, fast, dst)
            case 12: unpack64Fast(W12.self, src, fast, dst)
            case 13: unpack64Fast(W13.self, src, fast, dst)
            case 14: unpack64Fast(W14.self, src, fast, dst)
            case 15: unpack64Fast(W15.self, src, fast, dst)
            case 16: unpack64Fast(W16.self, src, fast, dst)
            case 17: unpack64Fast(W17.self, src, fast, dst)
            case 18: unpack64Fast(W18.self, src, fast, dst)
            case 19: unpack64Fast(W19.self, src, fast, dst)
            case 20: unpack64Fast(W20.self, src, fast, dst)
            case 21: unpack64Fast(W21.self, src, fast, dst)
            case 22: unpack64Fast(W22.self, src, fast, dst)
            case 23: unpack64Fast(W23.self, src, fast, dst)
            case 24: unpack64Fast(W24.self, src, fast, dst)
            case 25: unpack64Fast(W25.self, src, fast, dst)
            case 26: unpack64Fast(W26.self, src, fast, dst)
            case 27: unpack64Fast(W27.self, src, fast, dst)
            case 28: unpack64Fast(W28.self, src, fast, dst)
            case 29: unpack64Fast(W29.self, src, fast, dst)
            case 30: unpack64Fast(W30.self, src, fast, dst)
            case 31: unpack64Fast(W31.self, src, fast, dst)
            case 32: unpack64Fast(W32.self, src, fast, dst)
            case 33: unpack64Fast(W33.self, src, fast, dst)
            case 34: unpack64Fast(W34.self, src, fast, dst)
            case 35: unpack64Fast(W35.self, src, fast, dst)
            case 36: unpack64Fast(W36.self, src, fast, dst)
            case 37: unpack64Fast(W37.self, src, fast, dst)
            case 38: unpack64Fast(W38.self, src, fast, dst)
            case 39: unpack64Fast(W39.self, src, fast, dst)
            case 40: unpack64Fast(W40.self, src, fast, dst)
            case 41: unpack64Fast(W41.self, src, fast, dst)
            case 42: unpack64Fast(W42.self, src, fast, dst)
            case 43: unpack64Fast(W43.self, src, fast, dst)
            case 44: unpack64Fast(W44.self, src, fast, dst)
            case 45: unpack64Fast(W45.self, src, fast, dst)
            case 46: unpack64Fast(W46.self, src, fast, dst)
            case 47: unpack64Fast(W47.self, src, fast, dst)
            case 48: unpack64Fast(W48.self, src, fast, dst)
            case 49: unpack64Fast(W49.self, src, fast, dst)
            case 50: unpack64Fast(W50.self, src, fast, dst)
            case 51: unpack64Fast(W51.self, src, fast, dst)
            case 52: unpack64Fast(W52.self, src, fast, dst)
            case 53: unpack64Fast(W53.self, src, fast, dst)
            case 54: unpack64Fast(W54.self, src, fast, dst)
            case 55: unpack64Fast(W55.self, src, fast, dst)
            case 56: unpack64Fast(W56.self, src, fast, dst)
            case 57: unpack64Fast(W57.self, src, fast, dst)
            case 58: unpack64Fast(W58.self, src, fast, dst)
            case 59: unpack64Fast(W59.self, src, fast, dst)
            case 60: unpack64Fast(W60.self, src, fast, dst)
            case 61: unpack64Fast(W61.self, src, fast, dst)
            case 62: unpack64Fast(W62.self, src, fast, dst)
            case 63: unpack64Fast(W63.self, src, fast, dst)
            case 64: unpack64Fast(W64.self, src, fast, dst)
            default: break
            }
        }
        if fast < groups {
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 10) { tmp in
                let buf = UnsafeMutableRawPointer(tmp.baseAddress!)
                let mask = mask64(w)
                for g in fast..<groups {
                    tmp.update(repeating: 0)
                    let have = Swift.max(0, Swift.min(w, readable &- g &* w))
                    if have > 0 { buf.copyMemory(from: src + g &* w, byteCount: have) }
                    unpack8x64(UnsafeRawPointer(buf), w, mask, dst + g &* 8)
                }
            }
        }
    }

    @inline(__always)
    static func unpack64Fast<W: StaticBitWidth>(_: W.Type, _ src: UnsafeRawPointer, _ groups: Int,
                                                _ dst: UnsafeMutablePointer<UInt64>) {
        let w = W.width
        let mask = mask64(w)
        var s = src
        var d = dst
        for _ in 0..<groups {
            unpack8x64(s, w, mask, d)
            s += w
            d += 8
        }
    }

    @inline(__always)
    static func unpack8x64(_ s: UnsafeRawPointer, _ w: Int, _ mask: UInt64, _ d: UnsafeMutablePointer<UInt64>) {
        if w <= 56 {
            d[0] = load64(s, 0) & mask
            d[1] = (load64(s, w >> 3) >> UInt64(w & 7)) & mask
            d[2] = (load64(s, (2 * w) >> 3) >> UInt64((2 * w) & 7)) & mask
            d[3] = (load64(s, (3 * w) >> 3) >> UInt64((3 * w) & 7)) & mask
            d[4] = (load64(s, (4 * w) >> 3) >> UInt64((4 * w) & 7)) & mask
            d[5] = (load64(s, (5 * w) >> 3) >> UInt64((5 * w) & 7)) & mask
            d[6] = (load64(s, (6 * w) >> 3) >> UInt64((6 * w) & 7)) & mask
            d[7] = (load64(s, (7 * w) >> 3) >> UInt64((7 * w) & 7)) & mask
        } else {
            for i in 0..<8 {
                let bit = i &* w
                let byte = bit >> 3
                let shift = UInt64(bit & 7)
                var v = load64(s, byte) >> shift
                if shift != 0 {
                    v |= UInt64(s.load(fromByteOffset: byte &+ 8, as: UInt8.self)) &<< (64 &- shift)
                }
                d[i] = v & mask
            }
        }
    }

    // MARK: pack

    /// Appends `count` values packed LSB-first at `bitWidth` (0...64) bits each:
    /// ceil(count * bitWidth / 8) bytes. High bits beyond the width are dropped.
    static func pack64(_ values: UnsafePointer<UInt64>, count: Int, bitWidth w: Int, into out: inout [UInt8]) {
        guard w > 0, count > 0 else { return }
        let mask = mask64(w)
        var acc: UInt64 = 0
        var bits = 0
        for i in 0..<count {
            let v = values[i] & mask
            acc |= v &<< UInt64(bits)
            let total = bits &+ w
            if total >= 64 {
                appendWord(acc, bytes: 8, to: &out)
                acc = bits == 0 ? 0 : v &>> UInt64(64 &- bits)
                bits = total &- 64
            } else {
                bits = total
            }
        }
        if bits > 0 { appendWord(acc, bytes: (bits + 7) / 8, to: &out) }
    }

    /// As `pack64` for UInt32 values (bit widths 0...32).
    static func pack32(_ values: UnsafePointer<UInt32>, count: Int, bitWidth w: Int, into out: inout [UInt8]) {
        guard w > 0, count > 0 else { return }
        let mask = mask64(w)
        var acc: UInt64 = 0
        var bits = 0
        for i in 0..<count {
            acc |= (UInt64(values[i]) & mask) &<< UInt64(bits)
            bits &+= w
            if bits >= 32 {
                appendWord(acc, bytes: 4, to: &out)
                acc &>>= 32
                bits &-= 32
            }
        }
        if bits > 0 { appendWord(acc, bytes: (bits + 7) / 8, to: &out) }
    }

    @inline(__always)
    static func appendWord(_ word: UInt64, bytes: Int, to out: inout [UInt8]) {
        var x = word
        for _ in 0..<bytes {
            out.append(UInt8(truncatingIfNeeded: x))
            x &>>= 8
        }
    }

    /// Number of bits needed for `v` (0 for 0).
    @inline(__always)
    static func bitWidth(of v: UInt64) -> Int { 64 - v.leadingZeroBitCount }

    // MARK: varints

    /// Reads a ULEB128 varint of at most 10 bytes at `pos` (advanced past it).
    /// Returns nil when the input ends inside it or it is longer than 10 bytes.
    @inline(__always)
    static func readULEB128(_ base: UnsafeRawPointer?, end: Int, pos: inout Int) -> UInt64? {
        guard let base else { return nil }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var p = pos
        while p < end {
            let byte = base.load(fromByteOffset: p, as: UInt8.self)
            p &+= 1
            result |= UInt64(byte & 0x7F) &<< shift
            if byte & 0x80 == 0 {
                pos = p
                return result
            }
            shift &+= 7
            if shift >= 70 { return nil }
        }
        return nil
    }

    static func appendULEB128(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v &>>= 7
        }
        out.append(UInt8(v))
    }

    @inline(__always)
    static func zigzagDecode(_ v: UInt64) -> Int64 {
        Int64(bitPattern: (v &>> 1) ^ (0 &- (v & 1)))
    }

    @inline(__always)
    static func zigzagEncode(_ v: Int64) -> UInt64 {
        UInt64(bitPattern: (v &<< 1) ^ (v &>> 63))
    }

    // MARK: array helpers

    /// Appends `count` bytes from `src` to `out` (one copy).
    @inline(__always)
    static func appendBytes(_ src: UnsafeRawPointer, count: Int, to out: inout [UInt8]) {
        guard count > 0 else { return }
        out.append(contentsOf: UnsafeBufferPointer(start: src.assumingMemoryBound(to: UInt8.self), count: count))
    }

    /// Reserves room for `extra` more elements, growing geometrically so repeated calls
    /// (one per page) stay linear overall.
    @inline(__always)
    static func reserve<T>(_ array: inout [T], extra: Int) {
        let needed = array.count + extra
        if needed > array.capacity { array.reserveCapacity(Swift.max(needed, array.capacity * 2)) }
    }

    /// Grows `out` by `count` zeroed bytes and lets `body` fill them in place.
    @inline(__always)
    static func appendZeroed<R, E: Error>(_ out: inout [UInt8], count: Int,
                                          _ body: (UnsafeMutablePointer<UInt8>) throws(E) -> R) throws(E) -> R? {
        guard count > 0 else { return nil }
        let start = out.count
        reserve(&out, extra: count)
        var left = count
        zeros.withUnsafeBufferPointer { z in
            while left > 0 {
                let n = Swift.min(left, z.count)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: z[0..<n]))
                left -= n
            }
        }
        return try out.withUnsafeMutableBufferPointer { (buf) throws(E) -> R in try body(buf.baseAddress! + start) }
    }

    /// Zero bytes appended in bulk (memcpy) by `appendZeroed`.
    static let zeros = [UInt8](repeating: 0, count: 4096)

    // MARK: compile-time bit widths

    /// A bit width known at compile time, to specialize the unpack loops.
    protocol StaticBitWidth { static var width: Int { get } }
    enum W1: StaticBitWidth { static var width: Int { 1 } }
    enum W2: StaticBitWidth { static var width: Int { 2 } }
    enum W3: StaticBitWidth { static var width: Int { 3 } }
    enum W4: StaticBitWidth { static var width: Int { 4 } }
    enum W5: StaticBitWidth { static var width: Int { 5 } }
    enum W6: StaticBitWidth { static var width: Int { 6 } }
    enum W7: StaticBitWidth { static var width: Int { 7 } }
    enum W8: StaticBitWidth { static var width: Int { 8 } }
    enum W9: StaticBitWidth { static var width: Int { 9 } }
    enum W10: StaticBitWidth { static var width: Int { 10 } }
    enum W11: StaticBitWidth { static var width: Int { 11 } }
    enum W12: StaticBitWidth { static var width: Int { 12 } }
    enum W13: StaticBitWidth { static var width: Int { 13 } }
    enum W14: StaticBitWidth { static var width: Int { 14 } }
    enum W15: StaticBitWidth { static var width: Int { 15 } }
    enum W16: StaticBitWidth { static var width: Int { 16 } }
    enum W17: StaticBitWidth { static var width: Int { 17 } }
    enum W18: StaticBitWidth { static var width: Int { 18 } }
    enum W19: StaticBitWidth { static var width: Int { 19 } }
    enum W20: StaticBitWidth { static var width: Int { 20 } }
    enum W21: StaticBitWidth { static var width: Int { 21 } }
    enum W22: StaticBitWidth { static var width: Int { 22 } }
    enum W23: StaticBitWidth { static var width: Int { 23 } }
    enum W24: StaticBitWidth { static var width: Int { 24 } }
    enum W25: StaticBitWidth { static var width: Int { 25 } }
    enum W26: StaticBitWidth { static var width: Int { 26 } }
    enum W27: StaticBitWidth { static var width: Int { 27 } }
    enum W28: StaticBitWidth { static var width: Int { 28 } }
    enum W29: StaticBitWidth { static var width: Int { 29 } }
    enum W30: StaticBitWidth { static var width: Int { 30 } }
    enum W31: StaticBitWidth { static var width: Int { 31 } }
    enum W32: StaticBitWidth { static var width: Int { 32 } }
    enum W33: StaticBitWidth { static var width: Int { 33 } }
    enum W34: StaticBitWidth { static var width: Int { 34 } }
    enum W35: StaticBitWidth { static var width: Int { 35 } }
    enum W36: StaticBitWidth { static var width: Int { 36 } }
    enum W37: StaticBitWidth { static var width: Int { 37 } }
    enum W38: StaticBitWidth { static var width: Int { 38 } }
    enum W39: StaticBitWidth { static var width: Int { 39 } }
    enum W40: StaticBitWidth { static var width: Int { 40 } }
    enum W41: StaticBitWidth { static var width: Int { 41 } }
    enum W42: StaticBitWidth { static var width: Int { 42 } }
    enum W43: StaticBitWidth { static var width: Int { 43 } }
    enum W44: StaticBitWidth { static var width: Int { 44 } }
    enum W45: StaticBitWidth { static var width: Int { 45 } }
    enum W46: StaticBitWidth { static var width: Int { 46 } }
    enum W47: StaticBitWidth { static var width: Int { 47 } }
    enum W48: StaticBitWidth { static var width: Int { 48 } }
    enum W49: StaticBitWidth { static var width: Int { 49 } }
    enum W50: StaticBitWidth { static var width: Int { 50 } }
    enum W51: StaticBitWidth { static var width: Int { 51 } }
    enum W52: StaticBitWidth { static var width: Int { 52 } }
    enum W53: StaticBitWidth { static var width: Int { 53 } }
    enum W54: StaticBitWidth { static var width: Int { 54 } }
    enum W55: StaticBitWidth { static var width: Int { 55 } }
    enum W56: StaticBitWidth { static var width: Int { 56 } }
    enum W57: StaticBitWidth { static var width: Int { 57 } }
    enum W58: StaticBitWidth { static var width: Int { 58 } }
    enum W59: StaticBitWidth { static var width: Int { 59 } }
    enum W60: StaticBitWidth { static var width: Int { 60 } }
    enum W61: StaticBitWidth { static var width: Int { 61 } }
    enum W62: StaticBitWidth { static var width: Int { 62 } }
    enum W63: StaticBitWidth { static var width: Int { 63 } }
    enum W64: StaticBitWidth { static var width: Int { 64 } }
}
