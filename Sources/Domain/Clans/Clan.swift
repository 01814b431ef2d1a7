import Foundation

/// A clan, living in one Discord guild. Its slug is unique inside that guild.
public struct Clan: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    /// The Discord guild (server) snowflake.
    public var guildID: String
    public var name: String
    public var slug: String
    public var description: String?
    /// IANA time zone name; schedules and month-to-date windows are read in it.
    public var timeZone: String
    public var defaultSnapshotMode: SnapshotMode
    /// The Discord user who created it.
    public var createdBy: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, guildID: String, name: String, slug: String, description: String? = nil, timeZone: String = "UTC",
        defaultSnapshotMode: SnapshotMode = .auto, createdBy: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.guildID = guildID
        self.name = name
        self.slug = slug
        self.description = description
        self.timeZone = timeZone
        self.defaultSnapshotMode = defaultSnapshotMode
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Rules for the names that identify a clan in commands and URLs.
public enum ClanSlug {
    public static let maximumLength = 32

    /// Why a slug, clan name or guild id was refused. `description` is a sentence a user can act on.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Checks a slug: 1–32 characters of lower-case letters, digits and hyphens.
    public static func validate(_ slug: String) throws(Invalid) -> String {
        guard !slug.isEmpty else { throw Invalid(description: "a clan slug cannot be empty") }
        guard slug.count <= maximumLength else {
            throw Invalid(description: "the slug \"\(slug)\" is \(slug.count) characters; use at most \(maximumLength)")
        }
        guard slug.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw Invalid(description: "the slug \"\(slug)\" may use only lower-case letters, digits and hyphens, e.g. \"iron-legion\"")
        }
        return slug
    }

    /// A slug made from a clan name: "The Iron Legion!" → "the-iron-legion". Throws when nothing usable is left.
    public static func make(from name: String) throws(Invalid) -> String {
        var slug = ""
        var pendingHyphen = false
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingHyphen, !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.unicodeScalars.append(scalar)
            } else {
                pendingHyphen = true
            }
        }
        let trimmed = String(slug.prefix(maximumLength)).trimmingHyphens()
        guard !trimmed.isEmpty else {
            throw Invalid(description: "the name \"\(name)\" has no letters or digits to make a slug from; give a slug explicitly")
        }
        return trimmed
    }

    /// Checks a Discord snowflake (guild, user): 1–20 decimal digits.
    public static func validateSnowflake(_ value: String, what: String) throws(Invalid) -> String {
        guard !value.isEmpty, value.count <= 20, value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw Invalid(description: "\"\(value)\" is not a Discord \(what) id (1 to 20 digits)")
        }
        return value
    }
}

extension String {
    fileprivate func trimmingHyphens() -> String {
        var text = Substring(self)
        while text.hasSuffix("-") { text = text.dropLast() }
        while text.hasPrefix("-") { text = text.dropFirst() }
        return String(text)
    }
}
