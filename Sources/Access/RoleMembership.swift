/// `GRANT role TO member`: the member (a user or a role) holds everything granted to the role.
struct RoleMembership: Codable, Sendable, Hashable {
    var role: String
    var member: String

    var key: String { role + "\t" + member }
}
