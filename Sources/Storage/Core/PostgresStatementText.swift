import Foundation

/// A statement written for SQLite (`?`, `?NNN`, `:name`, `@name`, `$name` parameters), rewritten for PostgreSQL
/// (`$1`, `$2`, …), with the parameters numbered the way SQLite numbers them: a `?` takes the next free number,
/// `?NNN` takes NNN, and a name takes the next free number on its first use and keeps it. So the same array of
/// positional arguments, or the same dictionary of named ones, binds alike on both backends.
///
/// Quoted strings, quoted identifiers, dollar-quoted bodies and comments are copied untouched, and `::` (a
/// PostgreSQL cast) is not a parameter. Pure: `PostgresBackend` caches one per SQL text.
struct PostgresStatementText: Sendable, Equatable {
    /// The SQL with `$n` placeholders.
    let sql: String
    /// How many parameters the statement takes (the highest number used).
    let parameterCount: Int
    /// The name of each named parameter (without its prefix), by number.
    let names: [Int: String]

    init(sqlite text: String) {
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        var names: [Int: String] = [:]
        var numberOfName: [String: Int] = [:]
        var highest = 0
        let characters = Array(text.unicodeScalars)
        var index = 0

        func copy(until end: Int) {
            output.unicodeScalars.append(contentsOf: characters[index..<min(end, characters.count)])
            index = min(end, characters.count)
        }
        func isIdentifier(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || (scalar.properties.isAlphabetic) || ("0"..."9").contains(scalar)
        }

        while index < characters.count {
            if let end = Self.verbatimEnd(from: index, in: characters) {
                copy(until: end)
                continue
            }
            let scalar = characters[index]
            switch scalar {
            case "?":
                var end = index + 1
                while end < characters.count, ("0"..."9").contains(characters[end]) { end += 1 }
                let number: Int
                if end > index + 1, let explicit = Int(String(String.UnicodeScalarView(characters[(index + 1)..<end]))) {
                    number = explicit
                } else {
                    number = highest + 1
                }
                highest = max(highest, number)
                output += "$\(number)"
                index = end
            case ":" where index + 1 < characters.count && characters[index + 1] == ":":
                copy(until: index + 2)  // a cast
            case ":", "@", "$":
                var end = index + 1
                while end < characters.count, isIdentifier(characters[end]) { end += 1 }
                let isName = end > index + 1 && !("0"..."9").contains(characters[index + 1])
                guard isName else {
                    copy(until: index + 1)
                    continue
                }
                let name = String(String.UnicodeScalarView(characters[(index + 1)..<end]))
                let number: Int
                if let known = numberOfName[name] {
                    number = known
                } else {
                    number = highest + 1
                    highest = number
                    numberOfName[name] = number
                    names[number] = name
                }
                output += "$\(number)"
                index = end
            default:
                output.unicodeScalars.append(scalar)
                index += 1
            }
        }
        self.sql = output
        self.parameterCount = highest
        self.names = names
    }

    /// Where the part starting at `index` that is copied as is ends (exclusive): a quoted string or identifier (a
    /// doubled quote stays inside), a `--` or `/* */` comment, a dollar-quoted body (`$$ … $$`); nil when none
    /// starts there. Both the rewriting and the splitting of scripts skip these parts alike.
    private static func verbatimEnd(from index: Int, in characters: [Unicode.Scalar]) -> Int? {
        let scalar = characters[index]
        let next = index + 1 < characters.count ? characters[index + 1] : nil
        switch scalar {
        case "'", "\"":
            var end = index + 1
            while end < characters.count {
                if characters[end] == scalar {
                    if end + 1 < characters.count, characters[end + 1] == scalar { end += 2; continue }
                    break
                }
                end += 1
            }
            return min(end + 1, characters.count)
        case "-" where next == "-":
            var end = index
            while end < characters.count, characters[end] != "\n" { end += 1 }
            return end
        case "/" where next == "*":
            var end = index + 2
            while end + 1 < characters.count, !(characters[end] == "*" && characters[end + 1] == "/") { end += 1 }
            return min(end + 2, characters.count)
        case "$" where next == "$":
            return min((find("$$", in: characters, from: index + 2) ?? characters.count) + 2, characters.count)
        default:
            return nil
        }
    }

    private static func find(_ needle: String, in characters: [Unicode.Scalar], from start: Int) -> Int? {
        let pattern = Array(needle.unicodeScalars)
        var index = start
        while index + pattern.count <= characters.count {
            if Array(characters[index..<(index + pattern.count)]) == pattern { return index }
            index += 1
        }
        return nil
    }

    /// The values for `$1 … $n`, from SQLite-style arguments; refuses a count or a name that does not match.
    func values(for arguments: StatementArguments) throws(DatabaseError) -> [SQLValue] {
        switch arguments {
        case .positional(let values):
            guard values.count == parameterCount else {
                throw DatabaseError.misuse(
                    "the statement has \(parameterCount) parameter(s) but \(values.count) argument(s) were given", sql: sql)
            }
            return values.map(\.sqlValue)
        case .named(let values):
            var result: [SQLValue] = []
            result.reserveCapacity(parameterCount)
            var used = Set<String>()
            for number in stride(from: 1, through: parameterCount, by: 1) {
                guard let name = names[number] else {
                    throw DatabaseError.misuse("parameter \(number) is positional ('?'); pass an array of arguments instead", sql: sql)
                }
                let key = values[name] != nil ? name : values.keys.first { $0.dropFirst() == name && ":@$".contains($0.first ?? " ") }
                guard let key, let value = values[key] else {
                    throw DatabaseError.misuse("no value was given for the parameter :\(name)", sql: sql)
                }
                used.insert(key)
                result.append(value.sqlValue)
            }
            if let extra = values.keys.first(where: { !used.contains($0) }) {
                throw DatabaseError.misuse("the statement has no parameter named '\(extra)'", sql: sql)
            }
            return result
        }
    }

    /// Splits a script into its statements at the semicolons outside quotes, comments and dollar-quoted bodies
    /// (the extended query protocol runs one statement at a time). Empty statements are dropped.
    static func statements(of script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        let characters = Array(script.unicodeScalars)
        var index = 0
        func take(until end: Int) {
            let stop = min(end, characters.count)
            current.unicodeScalars.append(contentsOf: characters[index..<stop])
            index = stop
        }
        while index < characters.count {
            if let end = verbatimEnd(from: index, in: characters) {
                take(until: end)
                continue
            }
            switch characters[index] {
            case ";":
                statements.append(current)
                current = ""
                index += 1
            case let scalar:
                current.unicodeScalars.append(scalar)
                index += 1
            }
        }
        statements.append(current)
        return statements.filter { statement in
            // Keep statements with something besides whitespace and comments.
            statement.split(separator: "\n").contains { line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return !trimmed.isEmpty && !trimmed.hasPrefix("--")
            }
        }
    }
}
