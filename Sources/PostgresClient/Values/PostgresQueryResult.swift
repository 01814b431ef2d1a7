/// What one statement returned: its rows (if any) and the server's command tag ("INSERT 0 3", "SELECT 2").
public struct PostgresQueryResult: Sendable, Equatable {
    public let columns: [PostgresColumn]
    public let rows: [PostgresRow]
    public let commandTag: String

    /// Rows inserted, updated, deleted, selected, … as the command tag counts them (0 when it does not).
    public var affectedRows: Int {
        commandTag.split(separator: " ").last.flatMap { Int($0) } ?? 0
    }
}

/// One result row. Values come as text and are read as the type asked for, checked against the column's type.
public struct PostgresRow: Sendable, Equatable {
    public let columns: [PostgresColumn]
    let values: [[UInt8]?]

    init(columns: [PostgresColumn], values: [[UInt8]?]) {
        self.columns = columns
        self.values = values
    }

    /// The value of column `index` as `type`; an Optional type reads NULL as nil, any other type refuses it.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int) throws(PostgresError) -> T {
        guard values.indices.contains(index) else {
            throw .decoding("column \(index) does not exist; the row has \(values.count) columns")
        }
        let column = columns[index]
        guard let bytes = values[index] else { return try T.decodeNull(column: column.name) }
        return try T.decode(text: String(decoding: bytes, as: UTF8.self), column: column)
    }

    /// The value of the column named `name` (the first one, if several share it).
    public func decode<T: PostgresDecodable>(_ type: T.Type, named name: String) throws(PostgresError) -> T {
        guard let index = columns.firstIndex(where: { $0.name == name }) else {
            throw .decoding("no column named \(name); the row has \(columns.map(\.name).joined(separator: ", "))")
        }
        return try decode(type, at: index)
    }

    /// The value of column `index` as the server sent it (text format), nil for NULL or a column that does not exist.
    public func rawValue(at index: Int) -> [UInt8]? { values.indices.contains(index) ? values[index] : nil }

    /// True when column `index` is NULL.
    public func isNull(_ index: Int) -> Bool { values.indices.contains(index) && values[index] == nil }
}
