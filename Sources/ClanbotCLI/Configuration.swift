import Domain
import Foundation

/// Everything the bot is configured with. Read from the environment (names fixed by the
/// configuration contract in the README), then overridden by command-line flags.
public struct Configuration: Sendable, Equatable {
    public var discordToken: String?
    public var discordAPIBase: String
    public var discordGuildID: String?
    public var hiscoresBase: String
    public var databasePath: String
    public var sslCertFile: String?
    public var drandBase: String
    /// Hex of the drand group public key (G2) beacon signatures are checked against; nil means quicknet's.
    public var drandPublicKey: String?
    /// CLANBOT_WEBHOOK_ALLOW_LOOPBACK as given; read it through `allowsLoopbackWebhooks`.
    public var webhookAllowLoopback: String?

    public static let defaults = Configuration(
        discordToken: nil,
        discordAPIBase: "https://discord.com/api/v10",
        discordGuildID: nil,
        hiscoresBase: "https://secure.runescape.com",
        databasePath: "./clanbot.sqlite",
        sslCertFile: nil,
        drandBase: "https://api.drand.sh",
        drandPublicKey: nil,
        webhookAllowLoopback: nil
    )

    /// One setting: its environment variable, its flag, and where it lives in the struct.
    struct Setting: Sendable {
        let environment: String
        let flag: String
        let help: String
        let keyPath: WritableKeyPath<Configuration, String?> & Sendable
    }

    static let settings: [Setting] = [
        Setting(environment: "DISCORD_TOKEN", flag: "--token", help: "bot token (required for run; see below)", keyPath: \.discordToken),
        Setting(environment: "DISCORD_API_BASE", flag: "--api-base", help: "Discord REST base URL", keyPath: \.optionalAPIBase),
        Setting(environment: "DISCORD_GUILD_ID", flag: "--guild", help: "register commands to this guild only", keyPath: \.discordGuildID),
        Setting(environment: "OSRS_HISCORES_BASE", flag: "--hiscores-base", help: "OSRS hiscores host", keyPath: \.optionalHiscoresBase),
        Setting(environment: "CLANBOT_DB", flag: "--db", help: "SQLite database file", keyPath: \.optionalDatabasePath),
        Setting(environment: "SSL_CERT_FILE", flag: "--ssl-cert-file", help: "extra CA bundle (PEM)", keyPath: \.sslCertFile),
        Setting(environment: "DRAND_BASE", flag: "--drand-base", help: "drand relay for contest draws", keyPath: \.optionalDrandBase),
        Setting(environment: "DRAND_PUBLIC_KEY", flag: "--drand-public-key", help: "drand key beacon signatures must verify under (hex, G2; default quicknet's)",
                keyPath: \.drandPublicKey),
        Setting(environment: "CLANBOT_WEBHOOK_ALLOW_LOOPBACK", flag: "--webhook-loopback",
                help: "1: webhooks may post to this machine (127.0.0.1, ::1, localhost); other private addresses stay refused",
                keyPath: \.webhookAllowLoopback),
    ]

    /// Builds the configuration from the environment, then takes the known flags out of `arguments`.
    /// What is left in `arguments` belongs to the subcommand.
    public static func resolve(
        environment: [String: String], arguments: inout [String]
    ) throws(CommandLineError) -> Configuration {
        var configuration = Configuration.defaults
        for setting in settings {
            if let value = environment[setting.environment], !value.isEmpty {
                configuration[keyPath: setting.keyPath] = value
            }
        }
        var remaining: [String] = []
        var index = 0
        var tokenFlags: Set<String> = []
        while index < arguments.count {
            let argument = arguments[index]
            let (flag, inlineValue) = splitFlag(argument)
            if flag == "--token" || flag == TokenFile.flag { tokenFlags.insert(flag) }
            guard tokenFlags.count < 2 else { throw .usage("give --token or --token-file, not both") }
            if flag == TokenFile.flag {
                guard let path = inlineValue ?? (index + 1 < arguments.count ? arguments[index + 1] : nil) else { throw .missingValue(flag: flag) }
                configuration.discordToken = try TokenFile.read(path)
                index += inlineValue == nil ? 2 : 1
                continue
            }
            guard let setting = settings.first(where: { $0.flag == flag }) else {
                remaining.append(argument)
                index += 1
                continue
            }
            if let inlineValue {
                configuration[keyPath: setting.keyPath] = inlineValue
                index += 1
            } else if index + 1 < arguments.count {
                configuration[keyPath: setting.keyPath] = arguments[index + 1]
                index += 2
            } else {
                throw .missingValue(flag: flag)
            }
        }
        arguments = remaining
        _ = try configuration.allowsLoopbackWebhooks
        return configuration
    }

    /// DRAND_PUBLIC_KEY decoded (on-curve and subgroup checked), or quicknet's key when it is not set.
    public func resolvedDrandPublicKey() throws(CommandLineError) -> DrandPublicKey {
        guard let drandPublicKey else { return .quicknet }
        do {
            return try DrandPublicKey(hex: drandPublicKey)
        } catch {
            throw .configuration("DRAND_PUBLIC_KEY: \(error)")
        }
    }

    /// Whether webhooks may reach loopback addresses: "1" (or true/yes) turns it on; unset, "0", false or no keep it off.
    public var allowsLoopbackWebhooks: Bool {
        get throws(CommandLineError) {
            switch webhookAllowLoopback?.lowercased() {
            case nil, "", "0", "false", "no": return false
            case "1", "true", "yes": return true
            case let other?:
                throw .configuration("CLANBOT_WEBHOOK_ALLOW_LOOPBACK must be 1 (allow webhooks to this machine) or 0, not '\(other)'")
            }
        }
    }

    private static func splitFlag(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    // Non-optional settings are exposed as optionals so one table can drive them all;
    // assigning nil keeps the default.
    var optionalAPIBase: String? {
        get { discordAPIBase }
        set { if let newValue { discordAPIBase = newValue } }
    }
    var optionalHiscoresBase: String? {
        get { hiscoresBase }
        set { if let newValue { hiscoresBase = newValue } }
    }
    var optionalDatabasePath: String? {
        get { databasePath }
        set { if let newValue { databasePath = newValue } }
    }
    var optionalDrandBase: String? {
        get { drandBase }
        set { if let newValue { drandBase = newValue } }
    }
}
