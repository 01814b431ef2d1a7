import Domain
import Foundation
import Services
import Storage

/// Fixed-width text tables for the terminal.
enum TextTable {
    enum Alignment { case left, right }

    static func render(_ headers: [String], _ rows: [[String]], align: [Alignment]) -> [String] {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return (index < align.count && align[index] == .right) ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
        var lines = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += rows.map(line)
        return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
    }

    /// 1234567 → "1,234,567".
    static func number<T: BinaryInteger>(_ value: T) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    static func time(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: date)
    }
}

/// The operator commands' view of the composition root.
struct CommandServices {
    let root: CompositionRoot
    var store: Store { root.store }
    var services: ClanbotServices { root.services }
    var clans: ClanService { root.services.clans }
    var contests: ContestService { root.services.contests }

    /// Opens the database off the cooperative pool (`CompositionRoot.open`).
    static func open(_ configuration: Configuration, options: CompositionRoot.Options = CompositionRoot.Options()) async throws -> CommandServices {
        do {
            return CommandServices(root: try await CompositionRoot.open(configuration, options: options))
        } catch .setting(let message) {
            throw CommandLineError.configuration(message)
        } catch {
            throw CommandLineError.failed(error.description)
        }
    }

    /// The clan named by `text` and the window `--timeframe` names in the clan's own time zone (default 7d).
    func clanAndTimeframe(_ text: String, timeframe: String?, _ configuration: Configuration) async throws -> (Clan, Timeframe) {
        let clan = try await clans.find(text, guildID: Self.guild(configuration))
        do {
            return (clan, try Timeframe.parse(timeframe ?? "7d", timeZone: clan.zone))
        } catch {
            throw CommandLineError.usage("\(error)")
        }
    }

    /// The guild a command works in: DISCORD_GUILD_ID when set, else none (all clans).
    static func guild(_ configuration: Configuration) -> String? {
        configuration.discordGuildID.flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension CommandServices {
    /// Every service, with the hiscores client on OSRS_HISCORES_BASE at `--rate` (for the commands that fetch).
    static func full(_ configuration: Configuration, requestsPerSecond: String?, batchConcurrency: Int = 4) async throws -> ClanbotServices {
        var options = CompositionRoot.Options()
        options.batchConcurrency = batchConcurrency
        if let text = requestsPerSecond {
            guard let value = Double(text), value > 0, value <= 100 else {
                throw CommandLineError.usage("--rate must be a number of requests per second between 0 and 100 (got '\(text)')")
            }
            options.requestsPerSecond = value
        }
        return try await CommandServices.open(configuration, options: options).services
    }

    /// A board key as typed ("ironman", "regular", …), or a usage error listing them.
    static func board(_ text: String?) throws(CommandLineError) -> HiscoresBoard? {
        guard let text else { return nil }
        guard let board = HiscoresBoard(key: text.lowercased()) else {
            throw .usage("unknown board '\(text)'; use one of \(HiscoresBoard.allCases.map(\.key).joined(separator: ", "))")
        }
        return board
    }
}
