import Discord
import Domain
import Foundation
import Services

/// Contest detail (rules, entries summary, commitment hash, end time; after the draw the winners, the revealed
/// secret and the verification recipe), the drawing state, entries, the list and verification.
enum ContestEmbeds {
    static func color(_ status: ContestStatus) -> Int {
        switch status {
        case .draft: Palette.running
        case .active: Palette.info
        case .ended: Palette.warning
        case .drawn: Palette.gold
        case .cancelled: Palette.failure
        }
    }

    static func icon(_ status: ContestStatus) -> String {
        switch status {
        case .draft: "📝"
        case .active: "🟢"
        case .ended: "🔒"
        case .drawn: "🏆"
        case .cancelled: "🚫"
        }
    }

    static func detail(_ detail: ContestDetail) -> Embed {
        let contest = detail.contest
        var lines: [String] = []
        if let description = contest.description { lines.append(description) }
        lines.append("\(icon(contest.status)) **\(contest.status.rawValue)** · \(Format.timestamp(contest.startAt, "f")) → \(Format.timestamp(contest.endAt, "f"))")
        let ends = contest.endAt
        lines.append(contest.status == .active || contest.status == .draft ? "Ends \(Format.timestamp(ends))" : "Ended \(Format.timestamp(contest.endedAt ?? ends))")
        lines.append(Format.plural(contest.winnersCount, contest.kind.scoresPoints ? "prize place" : "winner") + (contest.prize.map { " · prize: **\($0)**" } ?? ""))
        if let line = RankingEmbeds.kindLine(contest) { lines.append(line) }
        var builder = EmbedBuilder(title: "\(RankingEmbeds.icon(contest.kind)) \(contest.name)", description: lines.joined(separator: "\n"), color: color(contest.status))
        builder.footer = "contest #\(contest.id) · \(contest.kind.rawValue) · \(contest.commitment?.scheme ?? DrawScheme.identifier)"
        builder.addField("Rules", contest.rules.isEmpty ? "None yet: `/contest rule`"
                         : contest.rules.map { RankingEmbeds.rule($0, kind: contest.kind) }.joined(separator: "\n"))
        if let commitment = contest.commitment {
            builder.addField("Commitment", """
                SHA-256(secret) `\(commitment.commitment)`
                rules digest `\(commitment.rulesDigest)`
                randomness: \(commitment.randomness.summary)
                """)
        } else if detail.randomnessWarning != nil {
            builder.addField("Randomness", "⚠️ \(RandomnessMode.noneWarning)")
        }
        if contest.kind.scoresPoints {
            RankingEmbeds.addFields(detail, to: &builder)
        } else if let entries = detail.entries {
            if entries.ticketCount == 0 {
                builder.addField("Entries", "Nobody qualified, so there is no draw.")
            } else {
                // The entry file holds normalised names ("offi sir"); show the names as the clan writes them.
                let display = Dictionary(entries.entries.compactMap { entry in RSN.validated(entry.name).map { ($0.normalized, entry.name) } },
                                         uniquingKeysWith: { first, _ in first })
                let holders = entries.holders.sorted { ($0.tickets, $1.name) > ($1.tickets, $0.name) }
                    .prefix(15).map { "\(display[$0.name] ?? $0.name) ×\($0.tickets)" }.joined(separator: " · ")
                builder.addField("Entries", "**N = \(entries.ticketCount)** tickets from \(Format.plural(entries.holders.count, "member"))\n"
                                 + "entry file SHA-256 `\(entries.digest)`\n" + holders)
            }
        }
        if detail.draw == nil, !contest.kind.scoresPoints, let secret = detail.publishedSecret {
            let when = detail.beaconPublishedAt.map { " From \(Format.timestamp($0, "f")) (\(Format.timestamp($0))) anyone can compute the winners." } ?? ""
            builder.addField("Secret (published when the entries locked)", "`\(secret)`" + when)
        }
        if let draw = detail.draw {
            let medals = ["🥇", "🥈", "🥉"]
            builder.addField("Winners", draw.winners.map { winner in
                let place = winner.position <= 3 ? medals[winner.position - 1] : "\(winner.position)."
                return "\(place) **\(winner.displayName)** (line \(winner.ticketIndex + 1) of `\(entriesFilename)`)"
            }.joined(separator: "\n") + (detail.winnersNote.map { "\n\($0)" } ?? ""))
            builder.addField(detail.publishedSecret != nil ? "Secret (published when the entries locked)" : "Revealed secret", "`\(draw.proof.secret)`")
            if let note = detail.precomputableNote { builder.addField("Nothing new", note) }
            if let beacon = draw.proof.beacon { builder.addField("Beacon", "drand round \(beacon.round)\n`\(beacon.randomness)`") }
        }
        if contest.status == .cancelled { builder.addField("Cancelled", contest.cancelReason ?? "no reason given") }
        return builder.build()
    }

    /// The detail and, once drawn, the verification recipe; before the draw under v2, how to compute the winners.
    static func full(_ detail: ContestDetail) -> [Embed] {
        if let recipe = detail.recipe {
            return [self.detail(detail), EmbedBuilder(title: detail.ranking != nil ? "🔍 Check the ranking yourself" : "🔍 Check the draw yourself", description: "```\n\(recipe)\n```", color: Palette.gold).build()]
        }
        if let recipe = detail.lockRecipe, detail.status == .ended {
            return [self.detail(detail), EmbedBuilder(title: detail.contest.kind.scoresPoints ? "🔍 Compute the final ranking yourself" : "🔍 Compute the winners yourself", description: "```\n\(recipe)\n```", color: Palette.warning).build()]
        }
        return [self.detail(detail)]
    }

    /// The proof JSON, for follow-up messages (it can be long).
    static func proof(_ detail: ContestDetail) -> EmbedBuilder {
        var builder = EmbedBuilder(title: "📜 Proof of contest #\(detail.id)", color: Palette.gold)
        builder.description = detail.proofJSON.map { "```json\n\($0)\n```" } ?? "No proof yet: the contest is not drawn."
        return builder
    }

    static func buttons(_ detail: ContestDetail, clanID: Int64) -> [ActionRow]? {
        guard detail.status == .ended, (detail.entries?.ticketCount ?? 0) > 0,
              let draw = Button("Draw", customID: CustomID.draw(clanID: clanID, contestID: detail.id).text, style: .success, emoji: "🎲") else { return nil }
        return [ActionRow([draw])]
    }

    /// The spinner of the seed: shown the moment the leader presses Draw.
    static func drawing(_ detail: ContestDetail) -> Embed {
        var embed = self.detail(detail)
        embed.title = "⏳ Drawing \(detail.contest.name)…"
        embed.description = (embed.description ?? "") + "\n\n**Drawing…** revealing the secret and fetching the committed randomness."
        embed.color = Palette.running
        return embed
    }

    static func drawingButtons() -> [ActionRow] {
        [ActionRow([Button("Drawing…", customID: "contest.drawing", style: .secondary, emoji: "⏳", disabled: true)].compactMap { $0 })]
    }

    static func list(_ contests: [Contest], clan: Clan) -> Embed {
        var builder = EmbedBuilder(title: "🎲 Contests of \(clan.name)", color: Palette.info)
        if contests.isEmpty { builder.description = "None yet. Leaders and officers start one with `/contest create`." }
        for contest in contests.reversed() {
            builder.addField("#\(contest.id) \(contest.name)", "\(icon(contest.status)) \(contest.status.rawValue) · \(contest.status == .draft || contest.status == .active ? "ends" : "ended") \(Format.timestamp(contest.endedAt ?? contest.endAt))"
                             + " · \(Format.plural(contest.rules.count, "rule"))")
        }
        return builder
            .build()
    }

    /// Why a member takes no part, with Discord timestamps instead of the proof's ISO times.
    static func exclusion(_ reason: ExclusionReason) -> String {
        switch reason {
        case .noBaseline(let first?):
            "no snapshot at or before the start (the first is from \(Format.timestamp(first, "f"))), so gains cannot be measured"
        case .noBaseline(nil): "no snapshot at all, so gains cannot be measured"
        case .leftClan(let date): "left the clan \(Format.timestamp(date))"
        }
    }

    /// The entry file, printed byte for byte in code blocks (its SHA-256 is the published digest): one block of
    /// whole lines per embed, so no block is ever cut in two; grouped into messages by `EmbedBuilder.group`.
    /// The file name `/contest entries` attaches.
    static let entriesFilename = "entries.txt"
    /// What a ranked or team contest attaches instead: its ranking file (docs/draw-scheme.md §8.3).
    static let rankingFilename = "ranking.txt"

    /// `/contest entries`: a short summary (N, the digest, how to check it) and, once there are tickets, the entry
    /// file itself as `entries.txt`, byte for byte, so `sha256sum entries.txt` can be compared with the digest.
    static func entries(_ detail: ContestDetail, file: [UInt8]) -> MessagePayload {
        let title = "🎟️ Entries · \(detail.contest.name)"
        guard let entries = detail.entries, entries.ticketCount > 0 else {
            let text = detail.entries == nil ? "Entries are locked when the contest ends." : "Nobody qualified: the entry file is empty."
            return MessagePayload(embeds: [EmbedBuilder(title: title, description: text, color: Palette.info).build()])
        }
        let ranked = detail.contest.kind.scoresPoints
        let filename = ranked ? rankingFilename : entriesFilename
        var description = ranked
            ? "**N = \(entries.ticketCount)** \(detail.contest.kind.competitorNoun)s with points.\n"
                + "The attached `\(filename)` is the ranking file, one line `score TAB name` per \(detail.contest.kind.competitorNoun). Its SHA-256 is the digest published when "
                + "the ranking locked:\n`\(entries.digest)`\nCheck it with `sha256sum \(filename)`."
            : "**N = \(entries.ticketCount)** tickets from \(Format.plural(entries.holders.count, "member")).\n"
                + "The attached `\(filename)` is the entry file, one line per ticket. Its SHA-256 is the digest published when "
                + "entries locked:\n`\(entries.digest)`\nCheck it with `sha256sum \(filename)`."
        if let lock = detail.lock, let secret = lock.secret, let command = lock.verifyCommand {
            // v2: with the secret published at the lock, this file and round R give the winners before any draw.
            description += "\n\nThe secret, published when the entries locked: `\(secret)`\n"
                + "Once drand round \(detail.beaconRound.map(String.init) ?? "R") is out\(detail.beaconPublishedAt.map { " (\(Format.timestamp($0)))" } ?? ""), "
                + "anyone can compute the \(ranked ? "final ranking" : "winners"):\n```\n\(command)\n```"
        }
        var builder = EmbedBuilder(title: title, description: description, color: Palette.info)
        builder.footer = "N = \(entries.ticketCount) · SHA-256 \(entries.digest)"
        let attachment = MessageAttachment.text(filename, bytes: file,
                                                description: "\(ranked ? "Ranking" : "Entry") file of contest #\(detail.contest.id), SHA-256 \(entries.digest)")
        var files = [attachment]
        if let lock = detail.lock, lock.secret != nil {
            // v2: the lock record, for `clanbot verify --lock lock.json --entries entries.txt --signature …`.
            files.append(MessageAttachment.text("lock.json", bytes: Array(lock.json.utf8),
                                                description: "What contest #\(detail.contest.id) published when its entries locked (clanbot verify --lock)"))
        }
        return MessagePayload(embeds: [builder.build()], files: files)
    }

    static func verification(_ verification: ContestVerification, contest: Contest) -> Embed {
        var builder = EmbedBuilder(title: "\(verification.passed ? "✅" : "❌") Verification · \(contest.name)",
                                   color: verification.passed ? Palette.success : Palette.failure)
        builder.description = verification.checks.map { "\($0.passed ? "✅" : "❌") **\($0.name)** — \($0.detail)" }.joined(separator: "\n")
        if !verification.notes.isEmpty { builder.addField("Notes", verification.notes.joined(separator: "\n")) }
        return builder.build()
    }
}
