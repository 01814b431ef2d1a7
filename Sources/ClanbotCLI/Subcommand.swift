/// One `clanbot` subcommand: its name, a line for `--help`, its own usage text, and what it does.
public struct Subcommand: Sendable {
    public struct Context: Sendable {
        public var configuration: Configuration
        public var arguments: [String]
        public var output: any Output
    }

    public let name: String
    public let summary: String
    public let usage: String
    public let run: @Sendable (Context) async throws -> Int32

    public init(name: String, summary: String, usage: String, run: @escaping @Sendable (Context) async throws -> Int32) {
        self.name = name
        self.summary = summary
        self.usage = usage
        self.run = run
    }
}
