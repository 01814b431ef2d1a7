import Discord
import Domain
import Foundation
import Services

/// `/contest teams contest: teams:` — a teams contest's teams, given as lists of RSNs while it is a draft
/// ("Red: Zezima, Woox; Blue: B0aty, Lynx Titan"). Each call replaces the teams; nobody may be in two teams.
/// `auto:N` fills N balanced teams instead (`TeamBalancer`) and shows them as a preview to adjust.
struct ContestTeamCommands {
    let request: CommandRequest

    func run() async throws {
        let contests = request.env.contests
        let (clan, contest) = try await ContestCommands(request: request).target(contests)
        try await request.require(.manage, "set contest teams", in: clan)
        guard contest.kind == .teams else {
            throw BotFailure("**\(contest.name)** is a \(contest.kind.rawValue) contest; only a contest created with `kind: teams` has teams.")
        }
        if let count = request.integer("auto") {
            guard request.string("teams") == nil else { throw BotFailure("Give either `teams` (lists of RSNs) or `auto` (a number of teams), not both.") }
            let preview: TeamBalancePreview
            do {
                preview = try await contests.balanceTeams(contestID: contest.id, count: Int(count))
            } catch ContestServiceError.invalidRequest(let message) {
                throw BotFailure("The teams were not filled: \(message).")
            }
            try await request.reply(TeamBalanceEmbeds.preview(preview))
            return
        }
        guard let typed = request.string("teams") else {
            throw BotFailure("List the teams (`teams: Red: Zezima, Woox; Blue: B0aty, Lynx Titan`) or fill them automatically with `auto:` and a number of teams.")
        }
        let teams = try Self.parse(typed)
        let detail: ContestDetail
        do {
            detail = try await contests.setTeams(contestID: contest.id, teams: teams)
        } catch ContestServiceError.invalidRequest(let message) {
            throw BotFailure("The teams were not saved: \(message).")
        }
        try await request.reply(MessagePayload(
            content: "Teams of **\(contest.name)** set: \(teams.map { "\($0.name) (\($0.members.count))" }.joined(separator: ", ")).",
            embeds: [ContestEmbeds.detail(detail)]))
    }

    /// The teams as `parse` reads them back: "Team 1: a, b; Team 2: c, d".
    static func text(_ teams: [ContestTeam]) -> String {
        teams.map { "\($0.name): \($0.members.joined(separator: ", "))" }.joined(separator: "; ")
    }

    /// "Name: rsn, rsn; Name: rsn" (teams separated by ';' or new lines). Says which part is wrong.
    static func parse(_ text: String) throws -> [ContestTeam] {
        let parts = text.split(whereSeparator: { $0 == ";" || $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { throw BotFailure("List the teams as `Red: Zezima, Woox; Blue: B0aty, Lynx Titan`.") }
        var teams: [ContestTeam] = []
        for part in parts {
            guard let colon = part.firstIndex(of: ":") else {
                throw BotFailure("`\(part)` has no team name: write `Team name: rsn, rsn`, teams separated by `;`.")
            }
            let members = CommandRequest.commaSeparated(part[part.index(after: colon)...])
            do {
                teams.append(try ContestTeam(name: String(part[..<colon]), members: members))
            } catch {
                throw BotFailure("The teams were not saved: \(error).")
            }
        }
        do {
            try ContestTeam.validate(teams)
        } catch {
            throw BotFailure("The teams were not saved: \(error).")
        }
        return teams
    }
}
