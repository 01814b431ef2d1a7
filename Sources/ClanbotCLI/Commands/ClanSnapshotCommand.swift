import Domain
import Foundation
import Services
import Storage

/// `clanbot clan snapshot <clan>`: a batch of every active member, with a line per member as it finishes.
enum ClanSnapshotCommand {
    static let usage = """
        Usage: clanbot clan snapshot <clan> [--board BOARD] [--concurrency N] [--rate REQUESTS_PER_SECOND]

        Fetches every active member of the clan (on the clan's default board, or --board), prints a
        line as each finishes, then the batch's status. Members who fail are flagged and do not fail
        the batch (its status is then "partial"). Exit status 0 when every member was fetched,
        3 when some were not.
        """

    static func run(_ context: Subcommand.Context, _ arguments: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(arguments, options: ["board", "rate", "concurrency"])
        let clanText = try arguments.positional(0, "the clan (id, slug or name)")
        let board = try CommandServices.board(arguments.values["board"])
        var concurrency = 4
        if let text = arguments.values["concurrency"] {
            guard let value = Int(text), (1...32).contains(value) else {
                throw CommandLineError.usage("--concurrency must be between 1 and 32 (got '\(text)')")
            }
            concurrency = value
        }
        let services = try await CommandServices.full(context.configuration, requestsPerSecond: arguments.values["rate"], batchConcurrency: concurrency)
        let clan = try await services.clans.find(clanText, guildID: CommandServices.guild(context.configuration))
        let output = context.output
        let handle = try await services.batches.start(clanID: clan.id, mode: board.map { .board($0) }, requestedBy: "cli") { progress in
            let width = String(progress.total).count
            let counter = "[\(String(progress.finished).leftPadded(width))/\(progress.total)]"
            output.print("\(counter) \(progress.displayName): " + (progress.succeeded ? "ok" : "FAILED — \(progress.error ?? "unknown error")"))
        }
        output.print("Batch \(handle.jobID) started for \(clan.name): \(handle.memberCount) member\(handle.memberCount == 1 ? "" : "s")")
        let run = try await handle.result()
        for line in summary(run) { output.print(line) }
        return run.status == .succeeded ? 0 : 3
    }

    /// `clanbot clan job <job-id>`: a batch's status and every member's line.
    static func job(_ context: Subcommand.Context, _ arguments: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(arguments)
        guard arguments.positionals.count == 1 else { throw CommandLineError.usage("clan job takes one job id (printed when the batch started)") }
        let services = try await CommandServices.full(context.configuration, requestsPerSecond: nil)
        guard let (run, members) = try await services.batches.status(jobID: arguments.positionals[0]) else {
            throw CommandLineError.failed("no batch with job id '\(arguments.positionals[0])'")
        }
        for line in summary(run) { context.output.print(line) }
        context.output.print("")
        for line in TextTable.render(["Member", "Status", "ms", "Error"], members.map {
            [$0.displayName, $0.status.rawValue, $0.latencyMs.map(String.init) ?? "", $0.error.map { String($0.prefix(80)) } ?? ""]
        }, align: [.left, .left, .right, .left]) {
            context.output.print(line)
        }
        return 0
    }

    static func summary(_ run: BatchRun) -> [String] {
        var lines = [
            "Batch \(run.jobID): \(run.status.rawValue) — \(run.succeededCount) of \(run.memberCount) fetched"
                + (run.latencyMs.map { " in \(String(format: "%.1f", Double($0) / 1000)) s" } ?? ""),
        ]
        if let error = run.error { lines.append(error) }
        return lines
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
