import Foundation

/// An OSRS account the bot tracks. `normalisedName` (see `RSN.normalized`) is its unique key.
public struct Account: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var displayName: String
    public var normalisedName: String
    /// What the account was last resolved to by comparing boards; nil until resolved.
    public var resolvedType: AccountType?
    public var modeCheckedAt: Date?
    public var firstSnapshotAt: Date?
    public var lastSnapshotAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, displayName: String, normalisedName: String, resolvedType: AccountType? = nil,
        modeCheckedAt: Date? = nil, firstSnapshotAt: Date? = nil, lastSnapshotAt: Date? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.displayName = displayName
        self.normalisedName = normalisedName
        self.resolvedType = resolvedType
        self.modeCheckedAt = modeCheckedAt
        self.firstSnapshotAt = firstSnapshotAt
        self.lastSnapshotAt = lastSnapshotAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
