/// A mistake on the command line or in the configuration, worded for the person who typed it.
public enum CommandLineError: Error, Equatable, CustomStringConvertible {
    case unknownSubcommand(String)
    case missingValue(flag: String)
    case usage(String)
    case configuration(String)
    case failed(String)

    public var description: String {
        switch self {
        case .unknownSubcommand(let name): "unknown command '\(name)'. Run 'clanbot --help' to see the commands."
        case .missingValue(let flag): "\(flag) needs a value, e.g. \(flag)=VALUE"
        case .usage(let message): message
        case .configuration(let message): message
        case .failed(let message): message
        }
    }
}

extension CommandLineError {
    /// sysexits(3) codes: 78 (EX_CONFIG) for a setting that must be fixed before trying again, so a
    /// supervisor such as systemd (RestartPreventExitStatus=78) stops restarting; 64 (EX_USAGE) otherwise.
    public static let configurationExitStatus: Int32 = 78

    public var exitStatus: Int32 {
        if case .configuration = self { return Self.configurationExitStatus }
        return 64
    }
}
