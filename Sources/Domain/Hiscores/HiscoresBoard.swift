/// One of the OSRS hiscores boards. The raw value is the `m=` path component the game serves it under.
public enum HiscoresBoard: String, Sendable, Hashable, Codable, CaseIterable {
    case regular = "hiscore_oldschool"
    case ironman = "hiscore_oldschool_ironman"
    case hardcore = "hiscore_oldschool_hardcore_ironman"
    case ultimate = "hiscore_oldschool_ultimate"
    case deadman = "hiscore_oldschool_deadman"
    case seasonal = "hiscore_oldschool_seasonal"
    case tournament = "hiscore_oldschool_tournament"
    case freshStart = "hiscore_oldschool_fresh_start"

    /// The short name used in the database, on the command line and in Discord options.
    public var key: String {
        switch self {
        case .regular: "regular"
        case .ironman: "ironman"
        case .hardcore: "hardcore"
        case .ultimate: "ultimate"
        case .deadman: "deadman"
        case .seasonal: "seasonal"
        case .tournament: "tournament"
        case .freshStart: "fresh_start"
        }
    }

    public init?(key: String) {
        guard let board = Self.allCases.first(where: { $0.key == key }) else { return nil }
        self = board
    }
}

/// What kind of account a player has, as resolved by comparing the boards (`resolved_mode`).
public enum AccountType: String, Sendable, Hashable, Codable, CaseIterable {
    case regular
    case ironman
    case hardcore
    case ultimate

    /// The board whose figures describe this account best.
    public var board: HiscoresBoard {
        switch self {
        case .regular: .regular
        case .ironman: .ironman
        case .hardcore: .hardcore
        case .ultimate: .ultimate
        }
    }
}
