#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the parser off the end of the thread's stack, whatever its size (8 MB on a
/// main thread, 512 KB on many secondary ones) and whatever the build's frame sizes
/// (debug frames are several times larger): like PostgreSQL's `check_stack_depth`,
/// it compares the current stack address with where parsing started. The thread's
/// stack bounds are looked up only once parsing has used more than ordinary SQL needs.
struct StackGuard {
    /// Stack use below which no thread has too little room.
    static let unchecked = 64 * 1024
    /// Stack kept free for the caller and for whatever runs after parsing.
    static let reserve = 128 * 1024

    private var base: UInt = 0
    private var budget: UInt = 0

    init() {
        base = StackGuard.currentAddress()
    }

    mutating func hasRoom() -> Bool {
        let here = StackGuard.currentAddress()
        let used = base > here ? base - here : 0
        guard used >= UInt(StackGuard.unchecked) else { return true }
        if budget == 0 { budget = StackGuard.usableBytes(below: base) }
        return used < budget
    }

    @inline(never)
    static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    /// Bytes between `address` and the low end of this thread's stack, minus the reserve.
    private static func usableBytes(below address: UInt) -> UInt {
        var remaining: UInt = 512 * 1024
        #if canImport(Glibc)
        // pthread_getattr_np is a GNU extension the Glibc module does not import; look it up.
        typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else {
            return remaining - remaining / 4
        }
        let getAttributes = unsafeBitCast(symbol, to: GetAttributes.self)
        var attributes = pthread_attr_t()
        if getAttributes(pthread_self(), &attributes) == 0 {
            var low: UnsafeMutableRawPointer?
            var size = 0
            if pthread_attr_getstack(&attributes, &low, &size) == 0, let low {
                let bottom = UInt(bitPattern: low)
                if address > bottom { remaining = address - bottom }
            }
            pthread_attr_destroy(&attributes)
        }
        #elseif canImport(Darwin)
        let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        let size = UInt(pthread_get_stacksize_np(pthread_self()))
        if top > size, address > top - size { remaining = address - (top - size) }
        #endif
        let reserve = UInt(StackGuard.reserve)
        return remaining > reserve * 2 ? remaining - reserve : remaining / 2
    }
}
