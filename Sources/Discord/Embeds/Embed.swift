import Foundation

/// A rich embed as Discord receives it. Build one with `EmbedBuilder`, which keeps within the limits.
public struct Embed: Codable, Sendable, Equatable {
    public struct Footer: Codable, Sendable, Equatable {
        public var text: String
        public var iconURL: String?
        enum CodingKeys: String, CodingKey { case text, iconURL = "icon_url" }
    }

    public struct Author: Codable, Sendable, Equatable {
        public var name: String
        public var url: String?
        public var iconURL: String?
        enum CodingKeys: String, CodingKey { case name, url, iconURL = "icon_url" }
    }

    public struct Field: Codable, Sendable, Equatable {
        public var name: String
        public var value: String
        public var inline: Bool?
    }

    public struct Media: Codable, Sendable, Equatable {
        public var url: String
    }

    public var title: String?
    public var description: String?
    public var url: String?
    /// ISO 8601, e.g. "2026-11-24T21:00:00.000Z".
    public var timestamp: String?
    public var color: Int?
    public var footer: Footer?
    var author: Author?
    public var fields: [Field]?
    public var thumbnail: Media?
    public var image: Media?

    // Discord's limits, in characters.
    public static let titleLimit = 256
    public static let descriptionLimit = 4096
    public static let fieldLimit = 25
    public static let fieldNameLimit = 256
    public static let fieldValueLimit = 1024
    public static let footerLimit = 2048
    public static let authorLimit = 256
    /// Title, description, field names and values, footer and author together — across all embeds of one message.
    static let totalLimit = 6000

    /// The characters this embed counts toward the 6000 total.
    var totalLength: Int {
        var total = TextLimit.length(title ?? "") + TextLimit.length(description ?? "")
        total += TextLimit.length(footer?.text ?? "") + TextLimit.length(author?.name ?? "")
        for field in fields ?? [] { total += TextLimit.length(field.name) + TextLimit.length(field.value) }
        return total
    }

    /// Every way this embed breaks Discord's rules (empty when Discord will accept it).
    var limitViolations: [String] {
        var problems: [String] = []
        func check(_ name: String, _ text: String?, _ limit: Int) {
            if let text, TextLimit.length(text) > limit { problems.append("\(name) is \(TextLimit.length(text)) characters (limit \(limit))") }
        }
        check("title", title, Self.titleLimit)
        check("description", description, Self.descriptionLimit)
        check("footer", footer?.text, Self.footerLimit)
        check("author", author?.name, Self.authorLimit)
        let fields = fields ?? []
        if fields.count > Self.fieldLimit { problems.append("\(fields.count) fields (limit \(Self.fieldLimit))") }
        for (index, field) in fields.enumerated() {
            check("field \(index) name", field.name, Self.fieldNameLimit)
            check("field \(index) value", field.value, Self.fieldValueLimit)
            if TextLimit.isBlank(field.name) { problems.append("field \(index) has an empty name") }
            if TextLimit.isBlank(field.value) { problems.append("field \(index) has an empty value") }
        }
        if footer.map({ $0.text.isEmpty }) == true { problems.append("footer text is empty") }
        if author.map({ $0.name.isEmpty }) == true { problems.append("author name is empty") }
        if totalLength > Self.totalLimit { problems.append("\(totalLength) characters in total (limit \(Self.totalLimit))") }
        if totalLength == 0 && image == nil && thumbnail == nil { problems.append("the embed is empty") }
        return problems
    }

    /// The longest prefix of `embeds` one message may carry: at most 10, at most 6000 characters together.
    static func fittingOneMessage(_ embeds: [Embed]) -> [Embed] {
        var kept: [Embed] = []
        var total = 0
        for embed in embeds.prefix(MessagePayload.maximumEmbeds) {
            guard total + embed.totalLength <= totalLimit else { break }
            total += embed.totalLength
            kept.append(embed)
        }
        return kept
    }
}
