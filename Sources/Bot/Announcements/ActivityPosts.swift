import Discord
import Domain
import Foundation
import Services

/// Roster changes and hardcore deaths as posts for the announcements channel. Consecutive rows of one kind share
/// a post ("📥 3 members joined"), so adding a whole roster posts once, not once per name; a death has its own.
extension AnnouncementPosts {
    static func activity(_ list: [ClanActivity], clanName: String) -> [AnnouncementService.Post] {
        var runs: [[ClanActivity]] = []
        for item in list {
            if let kind = runs.last?.last?.kind, kind == item.kind, kind != .hardcoreDied {
                runs[runs.count - 1].append(item)
            } else {
                runs.append([item])
            }
        }
        return runs.flatMap { run in activityPost(run, clanName: clanName) }
    }

    /// One run of activity of the same kind.
    static func activityPost(_ run: [ClanActivity], clanName: String) -> [AnnouncementService.Post] {
        guard let first = run.first, let last = run.last else { return [] }
        let (icon, color, several): (String, Int, String) = switch first.kind {
        case .memberJoined: ("📥", Palette.success, "\(run.count) members joined \(clanName)")
        case .memberLeft: ("📤", Palette.running, "\(run.count) members left \(clanName)")
        case .memberRenamed: ("✏️", Palette.info, "\(run.count) members changed their names")
        case .hardcoreDied: ("💀", Palette.failure, "")
        }
        var builder: EmbedBuilder
        if first.kind == .hardcoreDied {
            builder = EmbedBuilder(title: "\(icon) \(first.name) lost hardcore status", color: color)
            builder.description = "**\(escaped(first.name))** died as a hardcore ironman: the hiscores now list the account as a regular ironman."
            if let since = first.since {
                builder.addField("Died between", "\(Format.timestamp(since, "f")) and \(Format.timestamp(first.occurredAt, "f"))")
            }
        } else if run.count == 1 {
            builder = EmbedBuilder(title: "\(icon) " + line(first, bold: false), color: color)
        } else {
            builder = EmbedBuilder(title: "\(icon) \(several)", description: run.map { "• " + line($0, bold: true) }.joined(separator: "\n"), color: color)
        }
        builder.footer = clanName
        builder.timestamp = ISO8601Time.string(last.occurredAt)
        return posts(key: "activity:\(first.id)-\(last.id)", kind: first.kind.announcement, builder)
    }

    /// "Zezima joined", "Old Name is now New Name" (names bold in a description; titles show markdown literally).
    static func line(_ item: ClanActivity, bold: Bool) -> String {
        let name = { (text: String) in bold ? "**\(escaped(text))**" : text }
        return switch item.kind {
        case .memberJoined: "\(name(item.name)) joined"
        case .memberLeft: "\(name(item.name)) left"
        case .memberRenamed: "\(name(item.previousName ?? "?")) is now \(name(item.name))"
        case .hardcoreDied: "\(name(item.name)) lost hardcore status"
        }
    }

    /// A name with Discord's markdown characters escaped (RSNs may hold underscores).
    static func escaped(_ name: String) -> String {
        name.replacingOccurrences(of: "_", with: "\\_").replacingOccurrences(of: "*", with: "\\*")
    }
}
