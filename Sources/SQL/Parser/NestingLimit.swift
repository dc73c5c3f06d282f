/// How deep a statement may nest. The parser counts one level per recursive rule it
/// enters (a parenthesis costs one to three) and one per operator in a left-deep
/// chain, so the same number bounds the height of the trees that binders, printers
/// and deinitializers later walk recursively. The parser's own stack is guarded
/// separately (StackGuard.swift), since its frames differ between builds.
enum NestingLimit {
    /// Trees this high print, compare and deinitialize within a 512 KB thread stack in
    /// release builds (NestingTests).
    static let maximumDepth = 1000
}
