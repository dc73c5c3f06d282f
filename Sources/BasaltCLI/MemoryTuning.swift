#if canImport(Glibc)
import Glibc
#endif

/// Process-wide allocator settings for a columnar engine. Column buffers are
/// large (megabytes) and short-lived; glibc would hand each one to mmap and
/// unmap it again, so every batch paid page faults and the threads serialized
/// on the kernel's memory map lock (TPC-H Q1 ran about twice as long, and two
/// threads were slower than one). Keeping them on the heap reuses the pages.
public enum MemoryTuning {
    public static func apply() {
        #if canImport(Glibc)
        // mallopt is in <malloc.h>, which the Glibc module does not export: look it up.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1  // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
        _ = mallopt(mmapThreshold, 32 << 20)  // glibc's largest allowed value on 64-bit
        _ = mallopt(trimThreshold, 512 << 20)  // give memory back only above this much free
        #endif
    }
}
