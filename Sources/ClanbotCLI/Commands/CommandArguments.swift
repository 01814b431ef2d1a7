/// A subcommand's own arguments: positionals, `--name VALUE`
/// (or `--name=VALUE`) options and `--flag` switches. Unknown options are a usage error.
struct CommandArguments {
    var positionals: [String] = []
    var values: [String: String] = [:]
    var switches: Set<String> = []

    init(_ arguments: [String], options: Set<String> = [], switches known: Set<String> = []) throws(CommandLineError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                positionals.append(argument)
                continue
            }
            let body = argument.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            if known.contains(name) {
                switches.insert(name)
            } else if options.contains(name) {
                if let equals = body.firstIndex(of: "=") {
                    values[name] = String(body[body.index(after: equals)...])
                } else if index < arguments.count {
                    values[name] = arguments[index]
                    index += 1
                } else {
                    throw .missingValue(flag: "--\(name)")
                }
            } else {
                let all = (options.map { "--\($0)" } + known.map { "--\($0)" }).sorted()
                throw .usage("unknown option --\(name)" + (all.isEmpty ? "" : "; this command knows \(all.joined(separator: ", "))"))
            }
        }
    }

    /// The positional at `index`, or a usage error naming what is missing.
    func positional(_ index: Int, _ what: String) throws(CommandLineError) -> String {
        guard index < positionals.count else { throw .usage("missing \(what)") }
        return positionals[index]
    }
}
