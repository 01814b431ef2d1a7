import Foundation

/// What following a name change in one server did.
public struct AccountRename: Sendable, Hashable {
    /// The account the server's members now point at, under the new name.
    public var account: Account
    public var previousName: String
    /// When the new name was already tracked as an account of its own, that account was folded into this one:
    /// its id (now gone) and how many snapshots moved over.
    public var foldedAccountID: Int64?
    /// Snapshots of the old name joined to the new name's history (moved, or copied when other servers still
    /// track the old name).
    public var movedSnapshots: Int
    /// The old name is tracked by another server too, so the server's members moved to an account of their own
    /// under the new name and the old account stayed as it was for the others.
    public var splitFromSharedAccount: Bool
    /// The new name is tracked by another server too, so the old name's history could not be joined to it
    /// (that would change what the other server sees); it stays under the old name.
    public var historyKeptApart: Bool
    /// Discord users whose link in the server was dropped by a merge: they must be linked and confirmed again.
    public var droppedLinks: [String]
    /// The server's clans whose cached aggregates are out of date.
    public var clanIDs: [Int64]

    public init(account: Account, previousName: String, foldedAccountID: Int64?, movedSnapshots: Int, splitFromSharedAccount: Bool,
                historyKeptApart: Bool, droppedLinks: [String], clanIDs: [Int64]) {
        self.account = account
        self.previousName = previousName
        self.foldedAccountID = foldedAccountID
        self.movedSnapshots = movedSnapshots
        self.splitFromSharedAccount = splitFromSharedAccount
        self.historyKeptApart = historyKeptApart
        self.droppedLinks = droppedLinks
        self.clanIDs = clanIDs
    }
}
