/// A user's key/value attributes (`region = 'EMEA'`), which data filters read through
/// `user_attribute('region')`.
struct UserAttributes: Codable, Sendable, Hashable {
    var user: String
    var values: [String: String]
}
