import Foundation

/// A repository operation refused for a reason a person can fix. `description` says what to do.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownClan(String)
    case clanSlugTaken(slug: String, guildID: String)
    case invalidClan(String)
    case unknownAccount(String)
    case invalidAccount(String)
    case alreadyMember(clanID: Int64, account: String)
    case notAMember(clanID: Int64, account: String)
    case invalidRole(String)
    case invalidSchedule(String)
    case unknownSchedule(clanID: Int64)
    case invalidWebhook(String)
    case webhookExists(clanID: Int64)
    case unknownWebhook(Int64)
    case unknownSnapshot(Int64)
    case invalidSnapshot(String)
    case accountLinkedToAnotherUser(account: String, guildID: String)
    case notLinked(discordUserID: String, guildID: String)
    /// A foreign key refused the write: `detail` says which reference was missing or still in use.
    case referenceViolation(String)
    /// A CHECK or NOT NULL constraint refused a value.
    case invalidValue(String)

    public var description: String {
        switch self {
        case .unknownClan(let what):
            "there is no clan \(what); list the clans of this server to see their slugs"
        case .clanSlugTaken(let slug, _):
            "a clan with the slug \"\(slug)\" already exists in this server; pick another slug"
        case .invalidClan(let reason):
            "the clan was not saved: \(reason)"
        case .unknownAccount(let what):
            "there is no tracked account \(what); take a snapshot of it or add it to a clan first"
        case .invalidAccount(let reason):
            "the account was not saved: \(reason)"
        case .alreadyMember(_, let account):
            "\(account) is already a member of this clan; change their role instead of adding them again"
        case .notAMember(_, let account):
            "\(account) is not an active member of this clan"
        case .invalidRole(let text):
            "\"\(text)\" is not a clan role; use one of: leader, officer, member"
        case .invalidSchedule(let reason):
            "the schedule was not saved: \(reason)"
        case .unknownSchedule(let clanID):
            "clan \(clanID) has no schedule; set one first"
        case .invalidWebhook(let reason):
            "the webhook was not saved: \(reason)"
        case .webhookExists:
            "this clan already has a webhook with that URL; delete it first to change its settings"
        case .unknownWebhook(let id):
            "there is no webhook \(id) in this clan; list the webhooks to see their ids"
        case .unknownSnapshot(let id):
            "there is no snapshot \(id)"
        case .invalidSnapshot(let reason):
            "the snapshot was not saved: \(reason)"
        case .accountLinkedToAnotherUser(let account, _):
            "\(account) is already linked to another Discord user in this server; they must unlink it first (or ask an officer)"
        case .notLinked(let user, _):
            "Discord user \(user) has no linked account in this server"
        case .referenceViolation(let detail):
            "the change was refused: \(detail)"
        case .invalidValue(let detail):
            "a value was refused: \(detail)"
        }
    }
}

/// Runs `body`; turns a constraint failure into the `StorageError` `translate` picks, or a generic one in words.
@discardableResult
func translatingConstraints<T>(_ body: () throws -> T, _ translate: (DatabaseError) throws -> StorageError?) throws -> T {
    do {
        return try body()
    } catch let error as DatabaseError where error.isConstraintViolation {
        if let translated = try translate(error) { throw translated }
        if error.isForeignKeyViolation {
            throw StorageError.referenceViolation("it refers to a row that does not exist, or a row still in use would be deleted (\(error.message))")
        }
        if error.isCheckViolation || error.isNotNullViolation {
            throw StorageError.invalidValue(error.message)
        }
        throw error
    }
}
