import Columnar

/// SQL three-valued logic over boolean columns.
enum Logic {
    /// false AND anything = false; true AND NULL = NULL.
    static func and(_ a: Column, _ b: Column) -> Column {
        let x = a.materialized(), y = b.materialized()
        guard case let .boolean(u) = x.storage, case let .boolean(v) = y.storage else { return x }
        let n = x.count
        var out = [UInt8](repeating: 0, count: n)
        for i in 0..<n { out[i] = u[i] & v[i] }
        if x.validity == nil && y.validity == nil {
            return Column(type: .boolean, count: n, validity: nil, storage: .boolean(out))
        }
        var bits = [Bool](repeating: true, count: n)
        for i in 0..<n {
            let xn = x.isNull(i), yn = y.isNull(i)
            let xFalse = !xn && u[i] == 0, yFalse = !yn && v[i] == 0
            if xFalse || yFalse { out[i] = 0; bits[i] = true } else if xn || yn { bits[i] = false; out[i] = 0 }
        }
        return Column(type: .boolean, count: n, validity: Bitmap(bits), storage: .boolean(out))
    }

    /// true OR anything = true; false OR NULL = NULL.
    static func or(_ a: Column, _ b: Column) -> Column {
        let x = a.materialized(), y = b.materialized()
        guard case let .boolean(u) = x.storage, case let .boolean(v) = y.storage else { return x }
        let n = x.count
        var out = [UInt8](repeating: 0, count: n)
        if x.validity == nil && y.validity == nil {
            for i in 0..<n { out[i] = u[i] | v[i] }
            return Column(type: .boolean, count: n, validity: nil, storage: .boolean(out))
        }
        var bits = [Bool](repeating: true, count: n)
        for i in 0..<n {
            let xn = x.isNull(i), yn = y.isNull(i)
            let xTrue = !xn && u[i] != 0, yTrue = !yn && v[i] != 0
            if xTrue || yTrue { out[i] = 1 } else if xn || yn { bits[i] = false }
        }
        return Column(type: .boolean, count: n, validity: Bitmap(bits), storage: .boolean(out))
    }

    static func not(_ a: Column) -> Column {
        let x = a.materialized()
        guard case var .boolean(u) = x.storage else { return x }
        for i in 0..<u.count { u[i] ^= 1 }
        return Column(type: .boolean, count: x.count, validity: x.validity, storage: .boolean(u))
    }
}
