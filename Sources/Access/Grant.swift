import SQL

/// One privilege held by one principal on one target. Column lists: `columns` nil means
/// every column (then `excluded` are the exceptions, Lake Formation's "all columns except").
struct Grant: Codable, Sendable, Hashable {
    var principal: String
    var privilege: Privilege
    var target: GrantTarget
    var columns: [String]?
    var excluded: [String]
    var withGrantOption: Bool
    /// Who granted it (a REVOKE from the grantor cascades to it).
    var grantor: String
    /// Granted by a superuser: stays until revoked (no grant option to lose).
    var bySuperuser: Bool

    /// One grant per principal, privilege and target; granting again merges into it.
    var key: String { principal + "\t" + privilege.rawValue + "\t" + target.description }

    /// The columns of a table with `all` columns this grant lets its holder read.
    func columns(of all: [String]) -> Set<String> {
        let chosen = columns.map { list in all.filter(list.contains) } ?? all
        return Set(chosen.filter { !excluded.contains($0) })
    }
}
