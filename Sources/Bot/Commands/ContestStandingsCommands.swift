import Discord
import Domain
import Foundation
import Services

/// `/contest standings [contest]`: the contest's standings (its final ranking once it ended), paged with ◀ ▶.
/// Without a contest: the clan's running contest, or the one that ended last when none runs.
struct ContestStandingsCommands {
    let request: CommandRequest
    var contests: ContestService { request.env.contests }

    func run() async throws {
        let clan = try await request.clan()
        let contest = try await pick(in: clan)
        try await request.deferReply()
        try await request.reply(StandingsEmbeds.message(try await load(contest), contest: contest, clan: clan, page: 0))
    }

    /// ◀ ▶: reads the standings again (they move while the contest runs) and shows the asked page.
    func pressPage(_ id: CustomID) async throws {
        guard let clanID = id.int64(0), let contestID = id.int64(1), let page = id.argument(2).flatMap({ Int($0) }) else {
            throw BotFailure.malformed("button")
        }
        let clan = try await request.clan(named: "#\(clanID)")
        let contest = try await contests.detail(contestID: contestID).contest
        guard contest.clanID == clan.id else { throw BotFailure("That contest is not in this clan.") }
        try await request.responder.updateMessage(StandingsEmbeds.message(try await load(contest), contest: contest, clan: clan, page: page))
    }

    private func load(_ contest: Contest) async throws -> Standings {
        switch contest.status {
        case .draft:
            throw BotFailure("**\(contest.name)** is still a draft: standings start once it is activated.")
        case .cancelled:
            throw BotFailure("**\(contest.name)** was cancelled, so it has no standings.")
        case .active, .ended, .drawn:
            return try await contests.standings(contestID: contest.id).table
        }
    }

    /// The contest named by the `contest` option ("12", "#12" or its name) in this server, or the clan's obvious one.
    private func pick(in clan: Clan) async throws -> Contest {
        if request.string("contest") != nil { return try await ContestCommands(request: request).target(contests).1 }
        let all = try await contests.list(clanID: clan.id)
        let running = all.filter { $0.status == .active }
        if running.count == 1 { return running[0] }
        if running.count > 1 {
            let names = running.prefix(10).map { "**#\($0.id) \($0.name)**" }.joined(separator: ", ")
            throw BotFailure("\(clan.name) runs \(running.count) contests (\(names)). Pick one with the `contest` option.")
        }
        guard let last = all.filter({ $0.status == .ended || $0.status == .drawn }).max(by: { $0.endAt < $1.endAt }) else {
            throw BotFailure("**\(clan.name)** has no running or finished contest. Leaders and officers start one with `/contest create`.")
        }
        return last
    }
}
