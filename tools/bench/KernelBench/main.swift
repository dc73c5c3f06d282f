// Kernel micro-benchmarks: every kernel family on inputs larger than the last-level
// cache, beside the machine's own memory bandwidth, plus naive scalar loops for a
// few key kernels so the speed-up is visible in the same run.
//
//   swift build -c release --product kernel-bench && .build/release/kernel-bench [--quick] [--only TEXT]
//
// --quick: 1M-row inputs (in cache) and 3 runs, to smoke-test; --only TEXT: run only
// kernels whose name contains TEXT (the bandwidth reference always runs).
//
// Each line: median of `reps` timed runs after warm-up; GB/s counts the input
// bytes a kernel reads (not what it writes); "% read BW" is that rate over the
// sum-of-Int64 read loop's rate measured first.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar
import Compression
import Kernels

// MARK: harness

let quick = CommandLine.arguments.contains("--quick")
let only: String? = CommandLine.arguments.firstIndex(of: "--only").flatMap { i in
    i + 1 < CommandLine.arguments.count ? CommandLine.arguments[i + 1] : nil
}
let reps = quick ? 3 : 9
let warmups = 2

/// Keeps results alive so the optimizer cannot drop the work.
nonisolated(unsafe) var sink: UInt64 = 0
@inline(never) func consume<T>(_ x: T) {
    withUnsafeBytes(of: x) { b in for byte in b { sink &+= UInt64(byte) } }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

struct Measurement {
    var name: String
    var bytes: Int
    var seconds: Double
    var gbps: Double { Double(bytes) / seconds / 1e9 }
}

nonisolated(unsafe) var results: [Measurement] = []
nonisolated(unsafe) var readBandwidth = 0.0

@discardableResult
func bench(_ name: String, bytes: Int, always: Bool = false, _ body: () -> Void) -> Measurement {
    if let only, !always, !name.contains(only) { return Measurement(name: name, bytes: bytes, seconds: .nan) }
    for _ in 0..<warmups { body() }
    var times: [Double] = []
    for _ in 0..<reps {
        let t0 = now()
        body()
        times.append(now() - t0)
    }
    times.sort()
    let r = Measurement(name: name, bytes: bytes, seconds: times[times.count / 2])
    results.append(r)
    return r
}

func section(_ title: String) {
    if only == nil { results.append(Measurement(name: "**\(title)**", bytes: -1, seconds: 0)) }
}

/// Runs a throwing kernel whose inputs are known not to fault.
func must(_ body: () throws(Kernels.ArithmeticError) -> Void) {
    do { try body() } catch { fatalError("benchmark input faulted: \(error)") }
}

// MARK: data

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

nonisolated(unsafe) var rng = SplitMix64(state: 42)
let n64 = quick ? 1 << 20 : 8 << 20  // 8M rows: 64 MB of Int64 (L3 here is 32 MB)
let n32 = 2 * n64  // 16M rows: 64 MB of Int32

func ints64(_ n: Int, bits: Int) -> [Int64] {
    (0..<n).map { _ in Int64(bitPattern: rng.next()) >> (64 - bits) }
}

let i64a = ints64(n64, bits: 40), i64b = ints64(n64, bits: 40)
let i64nz = i64b.map { $0 == 0 ? 1 : $0 }
let i64small = i64b.map { $0 >> 10 }  // 30 bits: products of two fit
let i32a = (0..<n32).map { _ in Int32(truncatingIfNeeded: rng.next()) >> 8 }
let i32b = (0..<n32).map { _ in Int32(truncatingIfNeeded: rng.next()) >> 8 }
let i128a = (0..<(n64 / 2)).map { _ in Int128(Int64(bitPattern: rng.next())) * 1000 }
let f64a = (0..<n64).map { _ in Double(Int64(bitPattern: rng.next()) >> 11) / 1024 }
let f64b = (0..<n64).map { _ in Double(Int64(bitPattern: rng.next()) >> 11) / 1024 + 1 }
let mask50 = (0..<n64).map { _ in UInt8(rng.next() & 1) }
let mask10 = (0..<n64).map { _ in UInt8(rng.next() % 10 == 0 ? 1 : 0) }
let mask50b = (0..<n64).map { _ in UInt8(rng.next() & 1) }
let validity50 = Kernels.bitmap(fromMask: mask50b.withUnsafeBufferPointer { $0 })
let validity90 = Bitmap((0..<n64).map { _ in rng.next() % 10 != 0 })
let validityAll = Bitmap(repeating: true, count: n64)
let groups1k = (0..<n64).map { _ in Int32(rng.next() % 1000) }
let dictIndices = (0..<n32).map { _ in Int32(rng.next() % 1000) }
let sel50 = mask50.withUnsafeBufferPointer { Kernels.selection(fromMask: $0) }

// Strings: 4-20 bytes (12 average) over a small alphabet.
let stringCount = n64 / 2
let (strOffsets, strData): ([Int], [UInt8]) = {
    var offsets = [0], data: [UInt8] = []
    offsets.reserveCapacity(stringCount + 1)
    data.reserveCapacity(stringCount * 12)
    for _ in 0..<stringCount {
        let len = 4 + Int(rng.next() % 17)
        for _ in 0..<len { data.append(0x61 + UInt8(rng.next() % 4)) }
        offsets.append(data.count)
    }
    return (offsets, data)
}()
let strBytes = strOffsets.count * 8 + strData.count
let strSelection = (0..<(stringCount / 2)).map { _ in Int32(rng.next() % UInt64(stringCount)) }


// The kernels read and write unsafe buffers: copies of the arrays above, allocated
// once for the whole run (the naive loops use the arrays).
func ro<T>(_ a: [T]) -> UnsafeBufferPointer<T> {
    let b = UnsafeMutableBufferPointer<T>.allocate(capacity: a.count)
    _ = b.initialize(from: a)
    return UnsafeBufferPointer(b)
}
func filled<T>(_ value: T, _ count: Int) -> UnsafeMutableBufferPointer<T> {
    let b = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
    b.initialize(repeating: value)
    return b
}

let I64A = ro(i64a), I64B = ro(i64b), I64S = ro(i64small), I64S2 = ro(i64a.map { $0 >> 10 }), I32S = ro(i32b.map { $0 >> 9 }), I32S2 = ro(i32a.map { $0 >> 9 }), I64NZ = ro(i64nz), I32A = ro(i32a), I32B = ro(i32b), I128A = ro(i128a)
let F64A = ro(f64a), F64B = ro(f64b), M50 = ro(mask50), M10 = ro(mask10), M50B = ro(mask50b)
let G1K = ro(groups1k), DICT = ro(dictIndices), SEL50 = ro(sel50)
let SOFF = ro(strOffsets), SDATA = ro(strData), SSEL = ro(strSelection)
let OU8 = filled(UInt8(0), n32), OI64 = filled(Int64(0), n64), OI32 = filled(Int32(0), n32), OF64 = filled(0.0, n64), OU64 = filled(UInt64(0), n64)
let OU8x64 = UnsafeMutableBufferPointer(rebasing: OU8[0..<n64])

// MARK: memory bandwidth

let bwBytes = 256 << 20
let BWS = UnsafeBufferPointer(filled(UInt64(1), bwBytes / 8)), BWD = filled(UInt64(0), bwBytes / 8)
section("memory bandwidth (256 MB buffers)")
let copy = bench("memcpy (bytes copied)", bytes: bwBytes, always: true) {
    memcpy(UnsafeMutableRawPointer(BWD.baseAddress!), UnsafeRawPointer(BWS.baseAddress!), bwBytes)
}
let read = bench("read: sum of Int64, 4 lanes (wrapping)", bytes: bwBytes, always: true) {
    var s0: UInt64 = 0, s1: UInt64 = 0, s2: UInt64 = 0, s3: UInt64 = 0
    let p = BWS.baseAddress!
    var i = 0
    while i < BWS.count {
        s0 &+= p[i]
        s1 &+= p[i + 1]
        s2 &+= p[i + 2]
        s3 &+= p[i + 3]
        i += 4
    }
    consume(s0 &+ s1 &+ s2 &+ s3)
}
readBandwidth = read.gbps

// MARK: 1. compare

section("1. compare → byte mask")
bench("Int32 < scalar", bytes: n32 * 4) { Kernels.compare(I32A, .less, 12345, into: OU8) }
bench("Int64 = scalar", bytes: n64 * 8) { Kernels.compare(I64A, .equal, 12345, into: OU8x64) }
bench("Int64 < scalar", bytes: n64 * 8) { Kernels.compare(I64A, .less, 12345, into: OU8x64) }
bench("Int128 >= scalar", bytes: I128A.count * 16) { Kernels.compare(I128A, .greaterOrEqual, 0, into: OU8x64) }
bench("Double < scalar (SQL NaN order)", bytes: n64 * 8) { Kernels.compare(F64A, .less, 0.5, into: OU8x64) }
bench("Double > scalar (SQL NaN order)", bytes: n64 * 8) { Kernels.compare(F64A, .greater, 0.5, into: OU8x64) }
bench("Int32 < Int32 column", bytes: n32 * 8) { Kernels.compare(I32A, .less, I32B, into: OU8) }
bench("Int64 = Int64 column", bytes: n64 * 16) { Kernels.compare(I64A, .equal, I64B, into: OU8x64) }
bench("Double <= Double column (SQL)", bytes: n64 * 16) { Kernels.compare(F64A, .lessOrEqual, F64B, into: OU8x64) }
bench("Int32 between lo and hi", bytes: n32 * 4) { Kernels.between(I32A, -1000, 1000, into: OU8) }
bench("Double between lo and hi", bytes: n64 * 8) { Kernels.between(F64A, -1000, 1000, into: OU8x64) }
let probe: [UInt8] = Array("abcdabcd".utf8)
bench("string = scalar (12 B avg)", bytes: strBytes) {
    probe.withUnsafeBufferPointer { Kernels.compare(offsets: SOFF, data: SDATA, .equal, $0, into: OU8) }
}
bench("string < scalar (12 B avg)", bytes: strBytes) {
    probe.withUnsafeBufferPointer { Kernels.compare(offsets: SOFF, data: SDATA, .less, $0, into: OU8) }
}

// MARK: 2. arithmetic

section("2. arithmetic (checked)")
bench("Int64 + Int64 (overflow check)", bytes: n64 * 16) { must { () throws(Kernels.ArithmeticError) in try Kernels.add(I64A, I64B, into: OI64) } }
bench("Int64 + scalar", bytes: n64 * 8) { must { () throws(Kernels.ArithmeticError) in try Kernels.add(I64A, 17, into: OI64) } }
bench("Int32 + Int32 (overflow check)", bytes: n32 * 8) { must { () throws(Kernels.ArithmeticError) in try Kernels.add(I32A, I32B, into: OI32) } }
bench("Int32 * Int32 (overflow check)", bytes: n32 * 8) {
    must { () throws(Kernels.ArithmeticError) in try Kernels.multiply(I32S, I32S2, into: OI32) }
}
bench("Int32 * scalar (overflow check)", bytes: n32 * 4) { must { () throws(Kernels.ArithmeticError) in try Kernels.multiply(I32A, 100, into: OI32) } }
bench("Int64 * Int64 (overflow check)", bytes: n64 * 16) {
    must { () throws(Kernels.ArithmeticError) in try Kernels.multiply(I64S, I64S2, into: OI64) }
}
bench("Int64 * scalar (overflow check)", bytes: n64 * 8) { must { () throws(Kernels.ArithmeticError) in try Kernels.multiply(I64A, 1000, into: OI64) } }
bench("Int64 rescale ×10^4 (decimal)", bytes: n64 * 8) { must { () throws(Kernels.ArithmeticError) in try Kernels.rescale(I64A, byPowerOfTen: 4, into: OI64) } }
bench("Int64 rescale ÷10^4 (rounded)", bytes: n64 * 8) { must { () throws(Kernels.ArithmeticError) in try Kernels.rescale(I64A, byPowerOfTen: -4, into: OI64) } }
bench("Int64 / Int64 (div-by-zero check)", bytes: n64 * 16) { must { () throws(Kernels.ArithmeticError) in try Kernels.divide(I64A, I64NZ, into: OI64) } }
bench("Int64 / scalar", bytes: n64 * 8) { must { () throws(Kernels.ArithmeticError) in try Kernels.divide(I64A, 7, into: OI64) } }
bench("Int64 negate", bytes: n64 * 8) { must { () throws(Kernels.ArithmeticError) in try Kernels.negate(I64A, into: OI64) } }
bench("Double + Double (overflow check)", bytes: n64 * 16) { must { () throws(Kernels.ArithmeticError) in try Kernels.add(F64A, F64B, into: OF64) } }
bench("Double * scalar (over/underflow)", bytes: n64 * 8) { must { () throws(Kernels.ArithmeticError) in try Kernels.multiply(F64A, 1.5, into: OF64) } }
bench("Double / Double (zero check)", bytes: n64 * 16) { must { () throws(Kernels.ArithmeticError) in try Kernels.divide(F64A, F64B, into: OF64) } }

// MARK: 3. boolean

section("3. boolean (three-valued)")
bench("AND, both with validity", bytes: n64 * 2 + n64 / 4) {
    consume(Kernels.and(M50, validity: validity50, M50B, validity: validity90, into: OU8x64))
}
bench("OR, no validity", bytes: n64 * 2) { consume(Kernels.or(M50, validity: nil, M50B, validity: nil, into: OU8x64)) }
bench("NOT", bytes: n64) { Kernels.not(M50, into: OU8x64) }
bench("count set bytes", bytes: n64) { consume(Kernels.countSet(M50)) }

// MARK: 4. aggregates

section("4. aggregates")
bench("sum Int64 → Int128 (exact)", bytes: n64 * 8) { consume(Kernels.sum(I64A)) }
bench("sum Int64, validity 90% (random)", bytes: n64 * 8 + n64 / 8) { consume(Kernels.sum(I64A, validity: validity90)) }
bench("sum Int64, validity 50% (random)", bytes: n64 * 8 + n64 / 8) { consume(Kernels.sum(I64A, validity: validity50)) }
bench("sum Double, validity 90% (random)", bytes: n64 * 8 + n64 / 8) { consume(Kernels.sum(F64A, validity: validity90)) }
bench("sum Int64, validity all set", bytes: n64 * 8 + n64 / 8) { consume(Kernels.sum(I64A, validity: validityAll)) }
bench("sum Int64, selection 50%", bytes: sel50.count * 12) { consume(Kernels.sum(I64A, selection: SEL50)) }
bench("sum Int32 → Int64", bytes: n32 * 4) { consume(Kernels.sum(I32A)) }
bench("sum Double", bytes: n64 * 8) { consume(Kernels.sum(F64A)) }
bench("min Int32", bytes: n32 * 4) { consume(Kernels.min(I32A)) }
bench("max Int64", bytes: n64 * 8) { consume(Kernels.max(I64A)) }
bench("min Double (SQL NaN order)", bytes: n64 * 8) { consume(Kernels.min(F64A)) }
bench("max Double (SQL NaN order)", bytes: n64 * 8) { consume(Kernels.max(F64A)) }
bench("minMax Int64 (Parquet writer)", bytes: n64 * 8) { consume(Kernels.minMax(I64A, validity: nil)) }
bench("count present (popcount)", bytes: n64 / 8) { consume(Kernels.countPresent(count: n64, validity: validity50)) }
var sums128 = [Int128](repeating: 0, count: 1000)
var counts = [Int64](repeating: 0, count: 1000)
var mins64 = [Int64](repeating: .max, count: 1000)
var sumsF = [Double](repeating: 0, count: 1000)
bench("grouped sum Int64 → Int128, 1000 groups", bytes: n64 * 12) {
    sums128.withUnsafeMutableBufferPointer { Kernels.groupedSum(I64A, groupIDs: G1K, into: $0) }
}
bench("grouped sum Double, 1000 groups", bytes: n64 * 12) {
    sumsF.withUnsafeMutableBufferPointer { Kernels.groupedSum(F64A, groupIDs: G1K, into: $0) }
}
bench("grouped min Int64, 1000 groups, validity", bytes: n64 * 12 + n64 / 8) {
    mins64.withUnsafeMutableBufferPointer { Kernels.groupedMin(I64A, groupIDs: G1K, validity: validity50, into: $0) }
}
bench("grouped count, 1000 groups", bytes: n64 * 4) {
    counts.withUnsafeMutableBufferPointer { Kernels.groupedCount(count: n64, groupIDs: G1K, into: $0) }
}

// MARK: 5. filter and take

section("5. filter and take")
bench("filter Int64 by mask (50%)", bytes: n64 * 9) { consume(Kernels.filter(I64A, mask: M50).count) }
bench("filter Int64 by mask (10%)", bytes: n64 * 9) { consume(Kernels.filter(I64A, mask: M10).count) }
bench("filter Int64 into buffer (50%)", bytes: n64 * 9) { consume(Kernels.filter(I64A, mask: M50, into: OI64)) }
bench("filter Int64 into buffer (10%)", bytes: n64 * 9) { consume(Kernels.filter(I64A, mask: M10, into: OI64)) }
bench("mask → selection (50%)", bytes: n64) { consume(Kernels.selection(fromMask: M50).count) }
bench("mask → selection (10%)", bytes: n64) { consume(Kernels.selection(fromMask: M10).count) }
bench("mask → selection into buffer (50%)", bytes: n64) { consume(Kernels.selection(fromMask: M50, into: UnsafeMutableBufferPointer(rebasing: OI32[0..<n64]))) }
bench("take Int64 by selection (50%)", bytes: sel50.count * 12) { Kernels.take(I64A, indices: SEL50, into: OI64) }
bench("take strings by indices (random)", bytes: strSelection.count * (4 + 16 + 12)) {
    consume(Kernels.take(offsets: SOFF, data: SDATA, indices: SSEL).data.count)
}
bench("take validity bitmap (50% sel)", bytes: sel50.count * 4) { consume(Kernels.take(validity50, indices: SEL50).count) }
bench("filter validity bitmap by mask", bytes: n64 + n64 / 8) { consume(Kernels.filter(validity50, mask: M50).count) }

// MARK: 6. hashing

section("6. hashing")
bench("hash Int64 column", bytes: n64 * 8) { Kernels.hash(I64A, into: OU64) }
bench("hash Int32 column", bytes: n64 * 4) { Kernels.hash(UnsafeBufferPointer(rebasing: I32A[0..<n64]), into: OU64) }
bench("hash Int64 with validity", bytes: n64 * 8 + n64 / 8) { Kernels.hash(I64A, validity: validity90, into: OU64) }
bench("hash Double column", bytes: n64 * 8) { Kernels.hash(F64A, into: OU64) }
bench("hash + combine Int64 (2nd key column)", bytes: n64 * 16) { Kernels.hash(I64B, combiningInto: OU64) }
bench("hash strings (12 B avg)", bytes: strBytes) {
    Kernels.hash(offsets: SOFF, data: SDATA, into: UnsafeMutableBufferPointer(rebasing: OU64[0..<stringCount]))
}

// MARK: 7. dictionary

section("7. dictionary")
let entryMask = (0..<1000).map { UInt8($0 % 3 == 0 ? 1 : 0) }
let dictValues = (0..<1000).map { Int64($0) * 7919 }
bench("entry mask → row mask (1000 entries)", bytes: n32 * 4) {
    entryMask.withUnsafeBufferPointer { Kernels.mask(fromEntryMask: $0, indices: DICT, into: OU8) }
}
bench("decode Int64 dictionary", bytes: n64 * 4) {
    dictValues.withUnsafeBufferPointer { Kernels.decode(dictionary: $0, indices: UnsafeBufferPointer(rebasing: DICT[0..<n64]), into: OI64) }
}

// MARK: 8. bitmaps

section("8. bitmaps")
let wordsA = validity50.words, wordsB = validity90.words
let WA = ro(wordsA), WB = ro(wordsB), WO = filled(UInt64(0), wordsA.count)
let bigWords = [UInt64]((0..<n64).map { _ in rng.next() })  // 64 MB of words (512M bits)
let bigWords2 = [UInt64]((0..<n64).map { _ in rng.next() })
let BIG = ro(bigWords), BIG2 = ro(bigWords2), BIGOUT = filled(UInt64(0), n64)
bench("AND words (64 MB each)", bytes: bigWords.count * 16) { Kernels.and(BIG, BIG2, into: BIGOUT) }
bench("AND words (1 MB each, in cache)", bytes: wordsA.count * 16) { Kernels.and(WA, WB, into: WO) }
bench("popcount (64 MB of words)", bytes: bigWords.count * 8) { consume(Kernels.popcount(BIG)) }
bench("bitmap → byte mask", bytes: n64 / 8) { Kernels.mask(from: validity50, into: OU8x64) }
bench("byte mask → bitmap", bytes: n64) { consume(Kernels.bitmap(fromMask: M50).count) }
bench("mask AND validity (in place)", bytes: n64 + n64 / 8) { Kernels.applyValidity(validity50, to: OU8x64) }
bench("bitmap → selection (set-bit iteration)", bytes: n64 / 8) { consume(Kernels.setBitIndices(validity50).count) }

// MARK: snappy

section("9. snappy decoding (1 MiB pages; GB/s of output)")
/// Pages of plain Int64s compressed with snappy, as a Parquet writer would.
func snappyPages(_ values: [Int64]) -> [(stream: [UInt8], size: Int)] {
    let perPage = 1 << 17
    return stride(from: 0, to: values.count, by: perPage).map { start in
        let page = Array(values[start..<min(values.count, start + perPage)])
        let stream = page.withUnsafeBytes { Codec.snappy.compress($0) }
        return (stream, page.count * 8)
    }
}
var orderKey: Int64 = 1
let sortedKeys = snappyPages((0..<n64).map { _ in
    if rng.next() % 4 == 0 { orderKey += Int64(rng.next() % 7) + 1 }
    return orderKey
})
let smallInts = snappyPages((0..<n64).map { _ in Int64(rng.next() % 200_000) })
// Decimal prices as scaled integers (l_extendedprice: 901.00 to 104,949.50): three random
// low bytes and five zero bytes each, ~1.5:1.
let prices = snappyPages((0..<n64).map { _ in Int64(90_100 + rng.next() % 10_404_850) })
// libsnappy through the page decompressor (as for any page it does not route to
// SnappyDecoder), and SnappyDecoder itself, on both kinds of stream.
let pageDecompressor = Decompressor()
let pageOutput = UnsafeMutableRawPointer.allocate(byteCount: (1 << 20) + SnappyDecoder.slack, alignment: 64)
for (label, pages) in [("sorted keys (l_orderkey-like, ~5:1)", sortedKeys), ("random ints < 200,000 (l_partkey-like, ~1.7:1)", smallInts),
                       ("decimal prices (l_extendedprice-like, ~1.5:1)", prices)] {
    let bytes = pages.reduce(0) { $0 + $1.size }
    bench("snappy libsnappy: \(label)", bytes: bytes) {
        for page in pages {
            let out = try! page.stream.withUnsafeBytes { try pageDecompressor.decompress(.snappy, $0, uncompressedSize: page.size) }
            consume(out.count)
        }
    }
    bench("snappy SnappyDecoder: \(label)", bytes: bytes) {
        for page in pages {
            try! page.stream.withUnsafeBytes { try SnappyDecoder.decode($0, into: pageOutput, expected: page.size) }
        }
        consume(pageOutput.load(as: UInt64.self))
    }
}

// MARK: naive loops

section("naive scalar loops (for the speed-up)")
let naiveSum = bench("naive: sum Int64 (reduce with checked +)", bytes: n64 * 8) {
    consume(i64a.reduce(0, +))
}
let naiveCompare = bench("naive: Int32 < scalar (append to [UInt8])", bytes: n32 * 4) {
    var out: [UInt8] = []
    out.reserveCapacity(i32a.count)
    for v in i32a { out.append(v < 12345 ? 1 : 0) }
    consume(out.count)
}
let naiveFilter = bench("naive: filter Int64 by mask 50% (if + append)", bytes: n64 * 9) {
    var out: [Int64] = []
    out.reserveCapacity(i64a.count / 2)
    for i in i64a.indices where mask50[i] != 0 { out.append(i64a[i]) }
    consume(out.count)
}

// MARK: report

func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
func fmt(_ x: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let v = Int((x * scale).rounded())
    guard digits > 0 else { return String(v) }
    let frac = String(abs(v) % Int(scale))
    return (v < 0 ? "-" : "") + String(abs(v) / Int(scale)) + "." + String(repeating: "0", count: digits - frac.count) + frac
}
func mb(_ bytes: Int) -> String { fmt(Double(bytes) / 1_048_576, 1) + " MB" }

print("kernel-bench: \(reps) timed runs after \(warmups) warm-ups, median; rows: \(n64) (64-bit), \(n32) (32-bit)")
print("memory bandwidth: copy \(fmt(copy.gbps, 1)) GB/s (bytes copied), read \(fmt(readBandwidth, 1)) GB/s (sum of Int64)")
print("")
print("| kernel | bytes | median ms | GB/s | % of read BW |")
print("| --- | ---: | ---: | ---: | ---: |")
for r in results {
    if r.bytes < 0 {
        print("| \(r.name) | | | | |")
        continue
    }
    print("| \(r.name) | \(mb(r.bytes)) | \(fmt(r.seconds * 1000, 2)) | \(fmt(r.gbps, 2)) | \(fmt(100 * r.gbps / readBandwidth, 0))% |")
}
print("")
print("| kernel vs naive loop | naive ms | kernel ms | speed-up |")
print("| --- | ---: | ---: | ---: |")
for (naive, kernel) in [(naiveSum, "sum Int64 → Int128 (exact)"), (naiveCompare, "Int32 < scalar"), (naiveFilter, "filter Int64 by mask (50%)")] {
    guard let k = results.first(where: { $0.name == kernel }), !naive.seconds.isNaN else { continue }
    print("| \(kernel) | \(fmt(naive.seconds * 1000, 2)) | \(fmt(k.seconds * 1000, 2)) | \(fmt(naive.seconds / k.seconds, 1))× |")
}
if sink == 42 { print("") }  // keep `sink` observable
