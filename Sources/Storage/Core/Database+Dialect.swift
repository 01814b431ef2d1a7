/// The few pieces of SQL the two engines spell differently; everything else is written once, in SQL both accept.
extension Database {
    /// A table expression with one row per element of the JSON array `expression` (a column or a parameter
    /// holding JSON text), named `alias`, whose `value` column is the element as SQLite's json_each gives it.
    /// PostgreSQL's elements come as text: compare them to numbers through CAST(alias.value AS BIGINT).
    public func jsonArrayElements(_ expression: String, as alias: String) -> String {
        switch dialect {
        case .sqlite: "json_each(\(expression)) AS \(alias)"
        case .postgres: "jsonb_array_elements_text(CAST(\(expression) AS jsonb)) AS \(alias)(value)"
        }
    }
}
