/// The run-time settings clients read at connect (`SHOW`, `current_setting`, `pg_settings`)
/// with the values Basalt runs with: PostgreSQL 15's names, units and categories, values
/// that describe Basalt (UTF-8, UTC, ISO dates, read committed).
enum SettingDefaults {
    struct Setting: Sendable {
        var name: String
        var value: String
        var unit: String?
        var category: String
        var description: String
        /// pg_settings.vartype: bool, integer, real, string, enum.
        var type: String
        /// pg_settings.context: internal (read-only) or user (SET works).
        var context: String
    }

    static let all: [Setting] = [
        Setting(name: "application_name", value: "", category: "Reporting and Logging / What to Log",
                description: "Sets the application name to be reported in statistics and logs.", type: "string", context: "user"),
        Setting(name: "bytea_output", value: "hex", category: "Client Connection Defaults / Statement Behavior",
                description: "Sets the output format for bytea.", type: "enum", context: "user"),
        Setting(name: "client_encoding", value: "UTF8", category: "Client Connection Defaults / Locale and Formatting",
                description: "Sets the client's character set encoding.", type: "string", context: "user"),
        Setting(name: "client_min_messages", value: "notice", category: "Client Connection Defaults / Statement Behavior",
                description: "Sets the message levels that are sent to the client.", type: "enum", context: "user"),
        Setting(name: "datestyle", value: "ISO, MDY", category: "Client Connection Defaults / Locale and Formatting",
                description: "Sets the display format for date and time values.", type: "string", context: "user"),
        Setting(name: "default_transaction_isolation", value: "read committed", category: "Client Connection Defaults / Statement Behavior",
                description: "Sets the transaction isolation level of each new transaction.", type: "enum", context: "user"),
        Setting(name: "default_transaction_read_only", value: "off", category: "Client Connection Defaults / Statement Behavior",
                description: "Sets the default read-only status of new transactions.", type: "bool", context: "user"),
        Setting(name: "extra_float_digits", value: "1", category: "Client Connection Defaults / Locale and Formatting",
                description: "Sets the number of digits displayed for floating-point values.", type: "integer", context: "user"),
        Setting(name: "integer_datetimes", value: "on", category: "Preset Options",
                description: "Shows whether datetimes are integer based.", type: "bool", context: "internal"),
        Setting(name: "intervalstyle", value: "postgres", category: "Client Connection Defaults / Locale and Formatting",
                description: "Sets the display format for interval values.", type: "enum", context: "user"),
        Setting(name: "lc_collate", value: "C", category: "Preset Options",
                description: "Shows the collation order locale.", type: "string", context: "internal"),
        Setting(name: "lc_ctype", value: "C", category: "Preset Options",
                description: "Shows the character classification and case conversion locale.", type: "string", context: "internal"),
        Setting(name: "lc_messages", value: "C", category: "Client Connection Defaults / Locale and Formatting",
                description: "Sets the language in which messages are displayed.", type: "string", context: "user"),
        Setting(name: "max_identifier_length", value: "63", category: "Preset Options",
                description: "Shows the maximum identifier length.", type: "integer", context: "internal"),
        Setting(name: "max_index_keys", value: "32", category: "Preset Options",
                description: "Shows the maximum number of index keys.", type: "integer", context: "internal"),
        Setting(name: "search_path", value: "public", category: "Client Connection Defaults / Statement Behavior",
                description: "Sets the schema search order for names that are not schema-qualified.", type: "string", context: "user"),
        Setting(name: "server_encoding", value: "UTF8", category: "Preset Options",
                description: "Shows the server (database) character set encoding.", type: "string", context: "internal"),
        Setting(name: "server_version", value: "15.0", category: "Preset Options",
                description: "Shows the server version.", type: "string", context: "internal"),
        Setting(name: "server_version_num", value: "150000", category: "Preset Options",
                description: "Shows the server version as an integer.", type: "integer", context: "internal"),
        Setting(name: "standard_conforming_strings", value: "on", category: "Version and Platform Compatibility / Previous PostgreSQL Versions",
                description: "Causes '...' strings to treat backslashes literally.", type: "bool", context: "user"),
        Setting(name: "statement_timeout", value: "0", unit: "ms", category: "Client Connection Defaults / Statement Behavior",
                description: "Sets the maximum allowed duration of any statement.", type: "integer", context: "user"),
        Setting(name: "timezone", value: "UTC", category: "Client Connection Defaults / Locale and Formatting",
                description: "Sets the time zone for displaying and interpreting time stamps.", type: "string", context: "user"),
        Setting(name: "transaction_isolation", value: "read committed", category: "Client Connection Defaults / Statement Behavior",
                description: "Sets the current transaction's isolation level.", type: "enum", context: "user"),
        Setting(name: "transaction_read_only", value: "off", category: "Client Connection Defaults / Statement Behavior",
                description: "Sets the current transaction's read-only status.", type: "bool", context: "user"),
    ]

    /// Name (lower case) → value.
    static let values: [String: String] = Dictionary(all.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })

    static func value(_ name: String) -> String? { values[name.lowercased()] }
}
