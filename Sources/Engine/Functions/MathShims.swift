#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The C math library, under names that do not clash with Swift's.
@inline(__always) func expValue(_ x: Double) -> Double { exp(x) }
@inline(__always) func logValue(_ x: Double) -> Double { log(x) }
@inline(__always) func powValue(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) func cbrtValue(_ x: Double) -> Double { cbrt(x) }
@inline(__always) func sinValue(_ x: Double) -> Double { sin(x) }
@inline(__always) func cosValue(_ x: Double) -> Double { cos(x) }
@inline(__always) func tanValue(_ x: Double) -> Double { tan(x) }
@inline(__always) func asinValue(_ x: Double) -> Double { asin(x) }
@inline(__always) func acosValue(_ x: Double) -> Double { acos(x) }
@inline(__always) func atanValue(_ x: Double) -> Double { atan(x) }
@inline(__always) func atan2Value(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
