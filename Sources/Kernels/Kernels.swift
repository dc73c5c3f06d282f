import Columnar

/// Column kernels: the hot loops over contiguous buffers shared by the Parquet
/// writer's statistics and (later) the engine. Each is `@inlinable` so callers in
/// other modules get it specialized and vectorized.
public enum Kernels {
    /// Minimum and maximum of the values whose validity bit is set (all when `validity` is nil).
    @inlinable
    public static func minMax<T: Comparable>(_ values: UnsafeBufferPointer<T>, validity: Bitmap?) -> (min: T, max: T)? {
        var result: (T, T)?
        if let validity {
            for i in 0..<values.count where validity[i] {
                let v = values[i]
                if let (lo, hi) = result { result = (Swift.min(lo, v), Swift.max(hi, v)) } else { result = (v, v) }
            }
            return result
        }
        guard var lo = values.first else { return nil }
        var hi = lo
        for v in values {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        return (lo, hi)
    }
}
