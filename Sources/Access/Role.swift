/// A named set of privileges granted to users and to other roles.
struct Role: Codable, Sendable, Hashable {
    var name: String
}
