import Cryptography
import Foundation

/// Why a copy from SQLite to PostgreSQL did not happen, or did not check out.
public enum DatabaseCopyError: Error, Equatable, CustomStringConvertible {
    /// The target already holds rows; the copy only fills an empty database.
    case targetNotEmpty(tables: [String])
    /// The source or the target is not the engine the copy expects.
    case wrongEngine(String)
    /// The source is not at the schema version of this build.
    case sourceVersion(found: Int, expected: Int)
    /// The two schemas differ (a table or its columns).
    case schemaMismatch(String)
    /// After the copy, a table's count or digest differs (the transaction was rolled back).
    case verificationFailed(table: String, source: TableDigest, target: TableDigest)

    public var description: String {
        switch self {
        case .targetNotEmpty(let tables):
            "the PostgreSQL database is not empty (rows in \(tables.joined(separator: ", "))); copy into an empty database (createdb a new one), nothing was changed"
        case .wrongEngine(let detail): detail
        case .sourceVersion(let found, let expected):
            "the SQLite database is at schema version \(found) and this build at \(expected): run `clanbot migrate --db PATH` on it first (with this build)"
        case .schemaMismatch(let detail): "the two schemas differ: \(detail)"
        case .verificationFailed(let table, let source, let target):
            "table \(table) does not match after the copy (SQLite: \(source.rows) rows, \(source.hex); PostgreSQL: \(target.rows) rows, \(target.hex)); the copy was rolled back"
        }
    }
}

/// A table's row count and a SHA-256 chain over its rows in primary-key order, each row in one canonical encoding
/// (`DatabaseCopy.encode`) that reads the same from SQLite and PostgreSQL.
public struct TableDigest: Sendable, Equatable {
    public let rows: Int
    public let digest: [UInt8]
    public var hex: String { digest.map { String(format: "%02x", $0) }.joined() }
}

/// What `DatabaseCopy.run` did, table by table in the order it copied them.
public struct DatabaseCopyReport: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public let name: String
        public let digest: TableDigest
    }

    public let tables: [Table]
    public let schemaVersion: Int
}

/// Copies a SQLite database into an empty PostgreSQL one: the schema is made by the migrations (one version on
/// both), then every table in foreign-key order in one transaction, then the identity sequences are moved past
/// the ids copied, then each table's row count and digest are compared on both sides before the commit.
public struct DatabaseCopy {
    let source: Database
    let target: Database
    /// Rows read per page (keyset pagination on the primary key: PostgreSQL results are read whole).
    let pageSize: Int

    public init(from source: Database, to target: Database, pageSize: Int = 2_000) {
        self.source = source
        self.target = target
        self.pageSize = max(1, pageSize)
    }

    public func run(migrator: Migrator = Migrator()) throws -> DatabaseCopyReport {
        guard source.dialect == .sqlite else { throw DatabaseCopyError.wrongEngine("--from must be a SQLite file") }
        guard target.dialect == .postgres else {
            throw DatabaseCopyError.wrongEngine("CLANBOT_DB must be a PostgreSQL URL (postgres://…) to copy a SQLite database into")
        }
        let version = try migrator.currentVersion(of: source)
        guard version == migrator.latestVersion else {
            throw DatabaseCopyError.sourceVersion(found: version, expected: migrator.latestVersion)
        }
        try migrator.migrate(target)
        let tables = try tablesInForeignKeyOrder()
        return try target.transaction(.immediate) {
            let filled = try tables.filter { try (target.scalar("SELECT count(*) FROM \($0.name)", as: Int.self) ?? 0) > 0 }
            guard filled.isEmpty else { throw DatabaseCopyError.targetNotEmpty(tables: filled.map(\.name)) }
            for table in tables { try copy(table) }
            try moveSequences(tables)
            var report: [DatabaseCopyReport.Table] = []
            for table in tables {
                let expected = try digest(table, in: source)
                let found = try digest(table, in: target)
                guard expected == found else { throw DatabaseCopyError.verificationFailed(table: table.name, source: expected, target: found) }
                report.append(.init(name: table.name, digest: found))
            }
            return DatabaseCopyReport(tables: report, schemaVersion: version)
        }
    }

    // MARK: schema

    struct Table: Equatable {
        let name: String
        let columns: [String]
        let primaryKey: [String]
        /// The TEXT columns (compared byte-wise when paging through PostgreSQL).
        let textColumns: Set<String>
    }

    /// The data model's tables (SQLite's own and the migration history left out), parents before children.
    func tablesInForeignKeyOrder() throws -> [Table] {
        let names = try source.query(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name"
        ) { try $0.string(0) }
        var tables: [String: Table] = [:]
        var parents: [String: Set<String>] = [:]
        for name in names {
            var columns: [String] = []
            var key: [(Int, String)] = []
            try source.forEach("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", [name]) { row in
                let column = try row.string(0)
                columns.append(column)
                let position = try row.int(1)
                if position > 0 { key.append((position, column)) }
            }
            let targetTypes = try target.query(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                [name]) { (try $0.string(0), try $0.string(1)) }
            let targetColumns = targetTypes.map(\.0)
            guard Set(targetColumns) == Set(columns) else {
                throw DatabaseCopyError.schemaMismatch(
                    "table \(name) has columns \(columns.joined(separator: ", ")) in SQLite and \(targetColumns.joined(separator: ", ")) in PostgreSQL")
            }
            tables[name] = Table(
                name: name, columns: columns, primaryKey: key.sorted { $0.0 < $1.0 }.map(\.1),
                textColumns: Set(targetTypes.filter { $0.1 == "text" }.map(\.0)))
            parents[name] = Set(try source.query("SELECT \"table\" FROM pragma_foreign_key_list(?)", [name]) { try $0.string(0) })
                .subtracting([name])
        }
        var ordered: [Table] = []
        var placed = Set<String>()
        while ordered.count < names.count {
            guard let next = names.first(where: { !placed.contains($0) && (parents[$0] ?? []).isSubset(of: placed) }) else {
                throw DatabaseCopyError.schemaMismatch("the foreign keys between \(names.filter { !placed.contains($0) }.joined(separator: ", ")) form a cycle")
            }
            placed.insert(next)
            if let table = tables[next] { ordered.append(table) }
        }
        return ordered
    }

    // MARK: copying

    private func copy(_ table: Table) throws {
        try forEachPage(of: table, in: source) { rows in
            try target.insertRows(into: table.name, columns: table.columns, rows: rows)
        }
    }

    /// Each identity column's sequence continues after the highest id copied (or after SQLite's AUTOINCREMENT
    /// counter, which may be higher when the last rows were deleted: such ids are never given out again).
    private func moveSequences(_ tables: [Table]) throws {
        let identities = try target.query(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'"
        ) { (try $0.string(0), try $0.string(1)) }
        let hasSequenceTable = try source.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_sequence'", as: Int.self) ?? 0 > 0
        for (table, column) in identities {
            var highest = try source.scalar("SELECT max(\(column)) FROM \(table)", as: Int64.self) ?? 0
            if hasSequenceTable, let counter = try source.scalar("SELECT seq FROM sqlite_sequence WHERE name = ?", [table], as: Int64.self) {
                highest = max(highest, counter)
            }
            guard highest > 0 else { continue }
            try target.execute("SELECT setval(pg_get_serial_sequence(?, ?), ?)", [table, column, highest])
        }
    }

    // MARK: checking

    /// The table's row count and digest as `database` holds it.
    func digest(_ table: Table, in database: Database) throws -> TableDigest {
        // A chain, row by row: each step hashes the previous digest and the row's encoding.
        var chain = Digest.sha256([UInt8]())
        var count = 0
        try forEachPage(of: table, in: database) { rows in
            for row in rows {
                chain = Digest.sha256(chain + Self.encode(row))
                count += 1
            }
        }
        return TableDigest(rows: count, digest: chain)
    }

    /// Every row of `table` in `database`, a page at a time, in primary-key order (keyset pagination, so a page
    /// costs one index seek however deep into the table it is).
    private func forEachPage(of table: Table, in database: Database, _ body: ([[SQLValue]]) throws -> Void) throws {
        let columns = table.columns.joined(separator: ", ")
        let key = table.primaryKey.isEmpty ? table.columns : table.primaryKey
        let keyIndexes = key.compactMap { table.columns.firstIndex(of: $0) }
        // Text keys (Discord ids) sort byte-wise on both engines, whatever the PostgreSQL database's collation.
        let keyExpressions = key.map { database.dialect == .postgres && table.textColumns.contains($0) ? "\($0) COLLATE \"C\"" : $0 }
        let order = keyExpressions.joined(separator: ", ")
        let keyTuple = key.count == 1 ? keyExpressions[0] : "(" + order + ")"
        let placeholders = key.count == 1 ? "?" : "(" + key.map { _ in "?" }.joined(separator: ", ") + ")"
        var after: [SQLValue]?
        while true {
            let sql: String
            let arguments: [any SQLBindable]
            if let after {
                sql = "SELECT \(columns) FROM \(table.name) WHERE \(keyTuple) > \(placeholders) ORDER BY \(order) LIMIT \(pageSize)"
                arguments = after
            } else {
                sql = "SELECT \(columns) FROM \(table.name) ORDER BY \(order) LIMIT \(pageSize)"
                arguments = []
            }
            let rows = try database.query(sql, arguments) { row in (0..<table.columns.count).map { row.value(at: $0) } }
            if !rows.isEmpty { try body(rows) }
            guard rows.count == pageSize, let last = rows.last else { return }
            after = keyIndexes.map { last[$0] }
        }
    }

    /// One row as bytes, the same from either engine: per value a tag and its exact content.
    static func encode(_ row: [SQLValue]) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in row {
            switch value {
            case .null:
                bytes.append(UInt8(ascii: "N"))
            case .integer(let integer):
                bytes.append(UInt8(ascii: "I"))
                bytes += Array(String(integer).utf8)
            case .real(let real):
                bytes.append(UInt8(ascii: "R"))
                bytes += Array(String(real.bitPattern, radix: 16).utf8)
            case .text(let text):
                bytes.append(UInt8(ascii: "T"))
                bytes += Array(String(text.utf8.count).utf8) + [UInt8(ascii: ":")] + Array(text.utf8)
            case .blob(let blob):
                bytes.append(UInt8(ascii: "B"))
                bytes += Array(String(blob.count).utf8) + [UInt8(ascii: ":")] + blob
            }
            bytes.append(UInt8(ascii: ";"))
        }
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
