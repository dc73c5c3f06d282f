import Foundation
import Lake

/// Everything the permissions know besides the users themselves (which the metastore
/// keeps with their SCRAM verifiers): an immutable snapshot, replaced whole on change,
/// so a statement binds against one consistent state.
struct AccessState: Sendable {
    var roles: [String: Role] = [:]
    var memberships: [String: RoleMembership] = [:]
    var attributes: [String: UserAttributes] = [:]
    var grants: [String: Grant] = [:]
    var filters: [String: DataFilter] = [:]
    var masks: [String: ColumnMask] = [:]
    var tags: [String: TagAssignment] = [:]

    /// Entry kinds in the metastore's `access_entries`.
    enum Kind: String, CaseIterable {
        case role, membership, attributes, grant, filter, mask, tag
    }

    init() {}

    init(entries: [AccessEntry]) throws(AccessError) {
        for e in entries {
            let data = Data(e.body.utf8)
            do {
                switch Kind(rawValue: e.kind) {
                case .role: roles[e.key] = try JSONDecoder().decode(Role.self, from: data)
                case .membership: memberships[e.key] = try JSONDecoder().decode(RoleMembership.self, from: data)
                case .attributes: attributes[e.key] = try JSONDecoder().decode(UserAttributes.self, from: data)
                case .grant: grants[e.key] = try JSONDecoder().decode(Grant.self, from: data)
                case .filter: filters[e.key] = try JSONDecoder().decode(DataFilter.self, from: data)
                case .mask: masks[e.key] = try JSONDecoder().decode(ColumnMask.self, from: data)
                case .tag: tags[e.key] = try JSONDecoder().decode(TagAssignment.self, from: data)
                case nil: continue  // written by a newer Basalt: ignored, kept
                }
            } catch {
                throw AccessError("XX000", "the metastore's permission entry \(e.kind) '\(e.key)' is unreadable: \(error)")
            }
        }
    }

    /// The entries that turn `old` into `self` (saved and deleted), for one transaction.
    func changes(from old: AccessState) -> (save: [AccessEntry], delete: [(kind: String, key: String)]) {
        var save: [AccessEntry] = []
        var delete: [(kind: String, key: String)] = []
        func diff<T: Codable & Hashable>(_ kind: Kind, _ new: [String: T], _ old: [String: T]) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for (k, v) in new where old[k] != v {
                let body = (try? encoder.encode(v)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                save.append(AccessEntry(kind: kind.rawValue, key: k, body: body))
            }
            for k in old.keys where new[k] == nil { delete.append((kind.rawValue, k)) }
        }
        diff(.role, roles, old.roles)
        diff(.membership, memberships, old.memberships)
        diff(.attributes, attributes, old.attributes)
        diff(.grant, grants, old.grants)
        diff(.filter, filters, old.filters)
        diff(.mask, masks, old.masks)
        diff(.tag, tags, old.tags)
        return (save, delete)
    }

    /// The principal itself, every role it holds (through roles too) and `public`.
    func principals(of name: String) -> Set<String> {
        var result: Set<String> = [name, "public"]
        var frontier = [name]
        while let next = frontier.popLast() {
            for m in memberships.values where m.member == next && !result.contains(m.role) {
                result.insert(m.role)
                frontier.append(m.role)
            }
        }
        return result
    }

    /// The tags of a schema, a table or a column, with inheritance (nearest wins).
    func tags(schema: String, table: String? = nil, column: String? = nil) -> [String: String] {
        var result: [String: String] = [:]
        for t in tags.values where t.schema == schema && t.table == nil { result[t.key] = t.value }
        guard let table else { return result }
        for t in tags.values where t.schema == schema && t.table == table && t.column == nil { result[t.key] = t.value }
        guard let column else { return result }
        for t in tags.values where t.schema == schema && t.table == table && t.column == column { result[t.key] = t.value }
        return result
    }
}
