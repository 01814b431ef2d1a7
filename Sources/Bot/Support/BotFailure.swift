/// A request the bot turns down or cannot carry out, with the sentence the user sees (always ephemeral).
struct BotFailure: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }

    init(_ message: String) { self.message = message }

    static let guildOnly = BotFailure("clanbot's commands work inside a server, where the clan lives.")
    static func malformed(_ what: String) -> BotFailure { BotFailure("That \(what) could not be read. Please run the command again.") }
}
