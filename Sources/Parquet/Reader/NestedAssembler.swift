import Columnar

/// Rebuilds nested values from repetition and definition levels (Dremel
/// record shredding, in reverse). For one leaf, each level entry (r, d) is
/// walked down the leaf's path of shapes, top-level value first:
/// - r = 0 starts a new row; at a list whose repeated node has repetition
///   level R, r == R starts a new element and r > R continues the current one;
/// - a value is present when d reaches its `definedAt`; a list has elements
///   when d reaches its `elementsAt`.
/// Each shape on the path gets one slot per instance: validity, and for lists
/// their offsets. Structure shared by several leaves (a struct, a list of
/// structs) is taken from the first leaf under it.
struct NestedAssembler {
    /// Per shape on a leaf's path: the slots it received.
    struct Slots {
        var count = 0
        var validity = Bitmap()
        var hasNull = false
        /// Lists only: first element index of each instance, then the total.
        var offsets: [Int] = []
        var elementCount = 0
    }

    /// Walks `leafData`'s levels along `path` (top-level shape first, the leaf last).
    static func slots(path: [ColumnShape], data: LeafData, leaf: LeafColumn) throws(ParquetError) -> [Slots] {
        if let validity = data.flatValidity {
            // Read as a flat column: the validity bits are already built.
            guard path.count == 1, leaf.maxRepetitionLevel == 0, validity.count == data.entryCount else {
                throw ParquetError.corrupt("column '\(leaf.dottedPath)': level counts do not match the number of values")
            }
            var s = Slots()
            s.count = data.entryCount
            if let bitmap = validity.bitmap {
                s.validity = bitmap
                s.hasNull = true
            }
            return [s]
        }
        var slots = [Slots](repeating: Slots(), count: path.count)
        var current = [Bool](repeating: false, count: path.count)
        let hasRep = leaf.maxRepetitionLevel > 0, hasDef = leaf.maxDefinitionLevel > 0
        guard !hasRep || data.repetitionLevels.count == data.entryCount, !hasDef || data.definitionLevels.count == data.entryCount else {
            throw ParquetError.corrupt("column '\(leaf.dottedPath)': level counts do not match the number of values")
        }
        if path.count == 1, !hasRep, case let .leaf(_, definedAt, _) = path[0] {
            return [flatSlots(data, definedAt: definedAt, hasDef: hasDef)]
        }
        for i in 0..<path.count { slots[i].validity.reserveCapacity(data.entryCount) }
        for e in 0..<data.entryCount {
            let r = hasRep ? Int(data.repetitionLevels[e]) : 0
            let d = hasDef ? Int(data.definitionLevels[e]) : 0
            var isNew = r == 0
            if !isNew && slots[0].count == 0 {
                throw ParquetError.corrupt("column '\(leaf.dottedPath)': first value has repetition level \(r), a row must start at 0")
            }
            var k = 0
            // Below a null struct every field still gets a (null) slot, as in Arrow's layout.
            var nullAbove = false
            walk: while k < path.count {
                if nullAbove {
                    slots[k].validity.append(false)
                    slots[k].hasNull = true
                    slots[k].count += 1
                    switch path[k] {
                    case .leaf: break walk
                    case .list:
                        slots[k].offsets.append(slots[k].elementCount)
                        break walk
                    case .structure: k += 1
                    }
                    continue
                }
                switch path[k] {
                case let .leaf(_, definedAt, _):
                    guard isNew else {
                        throw ParquetError.corrupt("column '\(leaf.dottedPath)': repetition level \(r) at value \(e) repeats a non-repeated field")
                    }
                    let valid = d >= definedAt
                    slots[k].validity.append(valid)
                    slots[k].hasNull = slots[k].hasNull || !valid
                    slots[k].count += 1
                    break walk
                case let .structure(_, definedAt, _):
                    if isNew {
                        let valid = d >= definedAt
                        slots[k].validity.append(valid)
                        slots[k].hasNull = slots[k].hasNull || !valid
                        slots[k].count += 1
                        current[k] = valid
                        nullAbove = !valid
                    } else if !current[k] {
                        throw ParquetError.corrupt("column '\(leaf.dottedPath)': value \(e) continues a null struct")
                    }
                    k += 1
                case let .list(_, definedAt, _, repetitionLevel, elementsAt, _):
                    if isNew {
                        let valid = d >= definedAt
                        slots[k].validity.append(valid)
                        slots[k].hasNull = slots[k].hasNull || !valid
                        slots[k].count += 1
                        slots[k].offsets.append(slots[k].elementCount)
                        current[k] = valid
                        guard valid, d >= elementsAt else { break walk }
                        slots[k].elementCount += 1
                    } else {
                        guard current[k] else {
                            throw ParquetError.corrupt("column '\(leaf.dottedPath)': value \(e) continues a null list")
                        }
                        if r == repetitionLevel {
                            guard d >= elementsAt else {
                                throw ParquetError.corrupt("column '\(leaf.dottedPath)': value \(e) starts a list element but its definition level says the list is empty")
                            }
                            slots[k].elementCount += 1
                            isNew = true
                        } else if r < repetitionLevel {
                            throw ParquetError.corrupt("column '\(leaf.dottedPath)': inconsistent repetition level \(r) at value \(e)")
                        }
                    }
                    k += 1
                }
            }
        }
        for k in 0..<path.count where !slots[k].offsets.isEmpty || { if case .list = path[k] { return true } else { return false } }() {
            slots[k].offsets.append(slots[k].elementCount)
        }
        return slots
    }

    /// A top-level primitive column: validity straight from the definition levels,
    /// 64 levels to a validity word.
    static func flatSlots(_ data: LeafData, definedAt: Int, hasDef: Bool) -> Slots {
        var slots = Slots()
        slots.count = data.entryCount
        guard hasDef else { return slots }
        let n = data.entryCount
        var words = [UInt64](repeating: 0, count: (n + 63) >> 6)
        let threshold = UInt16(definedAt)
        data.definitionLevels.withUnsafeBufferPointer { levels in
            words.withUnsafeMutableBufferPointer { out in
                var w = 0
                var i = 0
                while i < n {
                    let end = min(i + 64, n)
                    var word: UInt64 = 0
                    for j in i..<end { word |= (levels[j] >= threshold ? 1 : 0) << UInt64(j - i) }
                    out[w] = word
                    w += 1
                    i = end
                }
            }
        }
        slots.validity = Bitmap(words: words, count: n)
        slots.hasNull = slots.validity.setCount != n
        return slots
    }

    /// Every leaf's path of shapes, keyed by leaf index.
    static func paths(of shape: ColumnShape, prefix: [ColumnShape] = [], into out: inout [Int: [ColumnShape]]) {
        let path = prefix + [shape]
        switch shape {
        case let .leaf(index, _, _): out[index] = path
        case let .structure(fields, _, _): for f in fields { paths(of: f.shape, prefix: path, into: &out) }
        case let .list(element, _, _, _, _, _): paths(of: element, prefix: path, into: &out)
        }
    }
}
