import Bot
import ClanbotCLI
import Discord
import Domain
import Foundation
import Hiscores
@testable import Services
import Testing
import TestSupport
import Transport

/// A Discord user in the tests: their id and the permissions Discord sends with the interaction.
struct TestUser: Sendable {
    var id: String
    var permissions: UInt64 = 0

    static let leader = TestUser(id: "201")
    static let officer = TestUser(id: "202")
    static let member = TestUser(id: "203")
    static let outsider = TestUser(id: "204")
    /// Has Manage Server (0x20) and no linked account.
    static let serverManager = TestUser(id: "205", permissions: 0x20)
}

/// A channel picked in a channel option (type 7): its id, resolved as a text channel.
struct ChannelPick: Sendable {
    var id: String
}

/// A request the bot sent to Discord's REST API, as `RecordingDiscordTransport` recorded it.
typealias DiscordRequest = RecordingDiscordTransport.Request

/// One interaction's traffic as the fake Discord REST API saw it.
struct Exchange {
    var requests: [DiscordRequest]

    /// The request's JSON body; for a message with files (multipart/form-data), its `payload_json` part.
    func json(_ request: DiscordRequest) -> [String: Any] { request.json }

    /// The files uploaded with the interaction's messages, in order.
    var files: [MultipartTestBody.Part] {
        requests.flatMap { request in (request.multipart?.parts ?? []).filter { $0.filename != nil } }
    }

    var callback: [String: Any]? { requests.first { $0.path.hasSuffix("/callback") }.map(json) }
    var callbackType: Int? { callback?["type"] as? Int }

    /// Every message body sent: the callback's data, edits of @original and follow-ups, in order.
    var messages: [[String: Any]] {
        requests.compactMap { request -> [String: Any]? in
            if request.path.hasSuffix("/callback") { return json(request)["data"] as? [String: Any] }
            return json(request)
        }.filter { !$0.isEmpty && $0["choices"] == nil }
    }

    var last: [String: Any] { messages.last ?? [:] }
    /// The last message is private: its own flags, or the deferral's.
    var lastIsEphemeral: Bool {
        if let flags = last["flags"] as? Int { return flags & 64 != 0 }
        return callbackType == 5 && ((callback?["data"] as? [String: Any])?["flags"] as? Int) == 64
    }

    var edits: [DiscordRequest] { requests.filter { $0.method == "PATCH" } }

    /// All the text of a message: content, embed titles, descriptions, field names and values, footers.
    static func text(_ message: [String: Any]) -> String {
        var parts = [message["content"] as? String ?? ""]
        for embed in message["embeds"] as? [[String: Any]] ?? [] {
            parts.append(embed["title"] as? String ?? "")
            parts.append(embed["description"] as? String ?? "")
            for field in embed["fields"] as? [[String: Any]] ?? [] {
                parts.append(field["name"] as? String ?? "")
                parts.append(field["value"] as? String ?? "")
            }
            parts.append((embed["footer"] as? [String: Any])?["text"] as? String ?? "")
        }
        return parts.joined(separator: "\n")
    }

    var lastText: String { Self.text(last) }
    var allText: String { messages.map(Self.text).joined(separator: "\n") }

    /// The custom ids of the buttons on a message.
    static func customIDs(_ message: [String: Any]) -> [String] {
        (message["components"] as? [[String: Any]] ?? []).flatMap { row in
            (row["components"] as? [[String: Any]] ?? []).compactMap { $0["custom_id"] as? String }
        }
    }

    var choices: [[String: Any]] { (callback?["data"] as? [String: Any])?["choices"] as? [[String: Any]] ?? [] }
}

/// A clan world for the bot: a real SQLite file, the fake hiscores, Discord's REST API as a
/// `RecordingDiscordTransport` (no socket; it answers callbacks and messages, records every request, and plays
/// the answers a test scripts: refusals, 429s, 5xx), and the object graph `clanbot run` builds (`CompositionRoot`)
/// with its clan events delivered. Interactions go in as Discord would send them.
final class BotHarness: Sendable {
    static let guild = "100"
    static let application = "900"

    let files: TemporaryDirectory
    var directory: URL { files.url }
    let hiscores: FakeHiscoresServer
    /// Everything the bot sent to Discord's REST API, and what Discord answers.
    let discord: RecordingDiscordTransport
    /// With `discordOverHTTP`, the loopback server the recorder answers behind (the REST client then uses libcurl).
    let discordServer: HTTPTestServer?
    /// The drand relay (DRAND_BASE) the contest service fetches rounds from; it serves every round at once, so
    /// `contestClockOffset` decides whether a round is "published" yet.
    let drand: FakeDrandRelay
    let root: CompositionRoot
    let rest: DiscordREST
    /// Delivers the clan events to the webhooks, as `clanbot run` does.
    let announcements: Task<Void, Never>
    let counter = LockedValue(0)
    let logs = LockedValue<[String]>([])
    /// Seconds added to the contest service's clock (to reach a contest's end, or its drand round, without waiting).
    let contestClockOffset = LockedValue<TimeInterval>(0)
    /// Seconds added to the bot's own clock (cooldowns, freshness), so a test moves past a wait without waiting.
    let botClockOffset = LockedValue<TimeInterval>(0)
    let configuration: Configuration
    let options: CompositionRoot.Options

    /// `limits`: the command cooldowns; none unless a test is about them.
    /// `hiscoresPatience`: how long interactive commands wait on the hiscores.
    /// `clock`: the time of the contest service and the bot (the offsets are then unused), for tests that move it.
    /// `discordOverHTTP`: reach the recorder through a loopback HTTP server and libcurl, as `clanbot run` reaches
    /// Discord (for the end-to-end tests; the others need no socket).
    init(limits: CommandLimits = .none, hiscoresPatience: Duration = BotEnvironment.defaultHiscoresPatience, clock: ManualClock? = nil,
         discordOverHTTP: Bool = false) throws {
        files = try TemporaryDirectory("bot")
        hiscores = try FakeHiscoresServer()
        drand = try FakeDrandRelay()
        discord = RecordingDiscordTransport()
        discordServer = discordOverHTTP ? try discord.serveOverHTTP() : nil
        var configuration = Configuration.defaults
        configuration.databasePath = files.path()
        configuration.hiscoresBase = hiscores.baseURL
        configuration.drandBase = drand.baseURL
        configuration.discordToken = "bot-token"
        configuration.discordAPIBase = discordServer.map { $0.baseURL + "/api/v10" } ?? discord.apiBase
        var options = CompositionRoot.Options()
        if discordServer == nil { options.discordTransport = discord }
        options.requestsPerSecond = 1_000
        options.webhookURLPolicy = WebhookURLPolicy(allowLoopback: true)
        options.webhookRetry = .init(attempts: 3, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(50), timeout: .seconds(5))
        // A round the relay does not have yet is asked again quickly, and a draw gives up after a few seconds.
        options.contests = .init(beaconRetryInterval: .milliseconds(20), beaconMaximumWait: .seconds(5), drandPublicKey: FakeDrandRelay.publicKey)
        let offset = contestClockOffset
        options.contestClock = { Date().addingTimeInterval(offset.value) }
        let botOffset = botClockOffset
        options.botClock = { Date().addingTimeInterval(botOffset.value) }
        if let clock {
            options.contestClock = clock.dateSource
            options.botClock = clock.dateSource
        }
        options.commandLimits = limits
        options.hiscoresPatience = hiscoresPatience
        options.editInterval = .milliseconds(200)
        let logs = self.logs
        options.log = { line in logs.withLock { $0.append(line) } }
        self.configuration = configuration
        self.options = options
        let root = try CompositionRoot(configuration, options: options)
        self.root = root
        rest = try #require(root.discord)
        announcements = Task { await root.deliverEvents() }
    }

    /// A second process over the same database file, as after a restart (its events are not delivered).
    func restartedRoot() throws -> CompositionRoot {
        try CompositionRoot(configuration, options: options)
    }

    /// Messages the bot posted in channels (announcements), in order.
    var channelPosts: [DiscordRequest] {
        discord.requests.filter { $0.method == "POST" && $0.path.hasPrefix("/channels/") && $0.path.hasSuffix("/messages") }
    }

    /// From now on Discord answers the messages posted in `channel` with `answer` (until `discord.forgetAnswers()`);
    /// with `embedsOnly`, only those with embeds (a channel without Embed Links).
    func answerPosts(in channel: String, always answer: RecordingDiscordTransport.Answer, embedsOnly: Bool = false) {
        discord.answer(where: { $0.method == "POST" && $0.path == "/channels/\(channel)/messages" && (!embedsOnly || $0.text.contains("\"embeds\"")) },
                       always: answer)
    }

    var services: ClanbotServices { root.services }
    var environment: BotEnvironment { root.bot }
    var router: BotRouter { root.router }

    /// Waits until every clan event posted so far reached the webhooks.
    func announced() async { await root.events.delivered() }

    deinit {
        root.events.finish()
        hiscores.stop()
        discordServer?.stop()
        drand.stop()
    }

    // MARK: - A clan to play with

    static let core = ["Lead Guy", "Offi Sir", "Mem Ber"]

    /// A clan in the test guild with a leader, an officer and a member linked (verified) by their Discord users.
    @discardableResult
    func seedClan(name: String = "Iron Legion", extraMembers: [String] = []) async throws -> Clan {
        let clan = try await services.clans.create(guildID: Self.guild, name: name)
        _ = try await services.clans.addMembers(clanID: clan.id, names: ["Lead Guy"], role: .leader)
        _ = try await services.clans.addMembers(clanID: clan.id, names: ["Offi Sir"], role: .officer)
        _ = try await services.clans.addMembers(clanID: clan.id, names: ["Mem Ber"] + extraMembers, role: .member)
        let directory = environment.directory
        _ = try await directory.link(clanID: clan.id, discordUserID: TestUser.leader.id, rsn: "Lead Guy", linkedBy: "1", verifiedBy: "1")
        _ = try await directory.link(clanID: clan.id, discordUserID: TestUser.officer.id, rsn: "Offi Sir", linkedBy: "1", verifiedBy: "1")
        _ = try await directory.link(clanID: clan.id, discordUserID: TestUser.member.id, rsn: "Mem Ber", linkedBy: "1", verifiedBy: "1")
        grow(Self.core + extraMembers, by: 1)
        return clan
    }

    /// Puts every listed player on the regular board with `factor` times their base xp.
    func grow(_ names: [String], by factor: Double) {
        for (index, rsn) in names.enumerated() {
            let base = HiscoresFixture.Player.typical(seed: UInt64(index + 1))
            hiscores.set(rsn, on: .regular, factor == 1 ? base : base.scalingXP(by: factor))
        }
    }

    // MARK: - Interactions

    private func nextID() -> Int {
        counter.withLock { value in
            value += 1
            return value
        }
    }

    /// A slash command (or, with `focused`, an autocomplete request): `path` "clan info", options by name
    /// (String → string, Int → integer, Bool → boolean).
    func command(_ path: String, _ options: [String: any Sendable] = [:], as user: TestUser = .leader, focused: String? = nil) async throws -> Exchange {
        let names = path.split(separator: " ").map(String.init)
        var resolved: [String: Any] = [:]
        var values: [[String: Any]] = options.map { name, value in
            var option: [String: Any] = ["name": name, "value": value]
            switch value {
            case let channel as ChannelPick:
                option["type"] = 7
                option["value"] = channel.id
                resolved[channel.id] = ["id": channel.id, "name": "clan-events", "type": 0]
            case is Bool: option["type"] = 5
            case is Int: option["type"] = 4
            default: option["type"] = 3
            }
            if name == focused {
                option["focused"] = true
                option["value"] = "\(value)"
            }
            return option
        }
        if names.count > 1 { values = [["name": names[1], "type": 1, "options": values]] }
        var data: [String: Any] = ["id": "1", "name": names[0], "type": 1, "options": values]
        if !resolved.isEmpty { data["resolved"] = ["channels": resolved] }
        return try await send(type: focused == nil ? 2 : 4, data: data, user: user)
    }

    /// A button press on a message clanbot sent.
    func press(_ customID: String, as user: TestUser = .leader) async throws -> Exchange {
        try await send(type: 3, data: ["custom_id": customID, "component_type": 2], user: user,
                       extra: ["message": ["id": "7000", "channel_id": "300", "content": ""]])
    }

    func interactionJSON(type: Int, data: [String: Any], user: TestUser, id: Int, extra: [String: Any] = [:]) throws -> Data {
        var body: [String: Any] = [
            "id": String(10_000 + id), "application_id": Self.application, "type": type, "token": "tok-\(id)", "version": 1,
            "guild_id": Self.guild, "channel_id": "300",
            "member": ["user": ["id": user.id, "username": "user\(user.id)"], "roles": [String](), "permissions": String(user.permissions)],
            "data": data,
        ]
        for (key, value) in extra { body[key] = value }
        return try JSONSerialization.data(withJSONObject: body)
    }

    func send(type: Int, data: [String: Any], user: TestUser, extra: [String: Any] = [:]) async throws -> Exchange {
        let id = nextID()
        let interaction = try JSONDecoder().decode(Interaction.self, from: try interactionJSON(type: type, data: data, user: user, id: id, extra: extra))
        await router.handle(interaction, responder: InteractionResponder(interaction: interaction, rest: rest))
        // What the command caused (a finished batch, a contest step) has reached the webhooks when it returns.
        await announced()
        return exchange(token: "tok-\(id)")
    }

    func exchange(token: String) -> Exchange {
        Exchange(requests: discord.requests.filter { $0.path.contains("/\(token)/") || $0.path.hasSuffix("/\(token)") })
    }
}
