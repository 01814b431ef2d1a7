import Foundation

/// Builds embeds that Discord always accepts. `build()` makes one embed and truncates (with "…") or drops
/// what does not fit; `pages()` keeps everything by continuing the description and fields over several
/// embeds; `messages()` groups pages so that each message stays within 10 embeds and 6000 characters.
public struct EmbedBuilder: Sendable, Equatable {
    public var title: String?
    public var description: String?
    public var url: String?
    public var color: Int?
    /// ISO 8601 text (the bot writes it with Domain's `ISO8601Time.string`), shown by Discord in each reader's time zone.
    public var timestamp: String?
    public var footer: String?
    public var footerIconURL: String?
    var author: String?
    public var authorURL: String?
    public var authorIconURL: String?
    public var thumbnailURL: String?
    public var imageURL: String?
    public private(set) var fields: [Embed.Field] = []

    /// A blank-looking placeholder Discord accepts where it requires text (a field name or value).
    static let blank = "\u{200B}"
    /// Room kept in the footer for " · page 999/999".
    static let pageSuffixReserve = 16

    public init(title: String? = nil, description: String? = nil, color: Int? = nil) {
        self.title = title
        self.description = description
        self.color = color
    }

    public mutating func addField(_ name: String, _ value: String, inline: Bool = false) {
        fields.append(Embed.Field(name: name, value: value, inline: inline ? true : nil))
    }

    /// Fluent form of `addField`.
    public func field(_ name: String, _ value: String, inline: Bool = false) -> EmbedBuilder {
        var copy = self
        copy.addField(name, value, inline: inline)
        return copy
    }

    // MARK: - One embed

    public func build() -> Embed {
        var embed = header(footerText: footer.map { TextLimit.truncate($0, to: Embed.footerLimit) })
        let headerCost = embed.totalLength
        let text = nonEmpty(description).map { TextLimit.truncate($0, to: min(Embed.descriptionLimit, Embed.totalLimit - headerCost)) }
        embed.description = text
        var budget = Embed.totalLimit - embed.totalLength
        var kept: [Embed.Field] = []
        let all = fields.map(Self.fit)
        for field in all {
            let cost = Self.cost(field)
            guard kept.count < Embed.fieldLimit, cost <= budget else { break }
            kept.append(field)
            budget -= cost
        }
        if kept.count < all.count {
            // Say that something is missing rather than cut silently; make room for the note if needed.
            var note = Self.moreNote(all.count - kept.count)
            while let last = kept.last, kept.count >= Embed.fieldLimit || Self.cost(note) > budget {
                kept.removeLast()
                budget += Self.cost(last)
                note = Self.moreNote(all.count - kept.count)
            }
            if Self.cost(note) <= budget { kept.append(note) }
        }
        embed.fields = kept.isEmpty ? nil : kept
        if embed.totalLength == 0 && embed.image == nil && embed.thumbnail == nil { embed.description = Self.blank }
        return embed
    }

    // MARK: - Several embeds, nothing lost

    public func pages() -> [Embed] {
        let footerBase = footer.map { TextLimit.truncate($0, to: Embed.footerLimit - Self.pageSuffixReserve) }
        let template = header(footerText: footerBase)
        let headerCost = template.totalLength + Self.pageSuffixReserve
        let chunkLimit = min(Embed.descriptionLimit, Embed.totalLimit - headerCost)

        var pages: [Embed] = []
        for chunk in nonEmpty(description).map({ TextLimit.chunks($0, limit: chunkLimit) }) ?? [] {
            var page = template
            page.description = chunk
            pages.append(page)
        }
        if pages.isEmpty { pages.append(template) }

        for field in fields.map(Self.fit) {
            let last = pages[pages.count - 1]
            let count = last.fields?.count ?? 0
            if count >= Embed.fieldLimit || last.totalLength + Self.pageSuffixReserve + Self.cost(field) > Embed.totalLimit {
                var page = template
                page.fields = [field]
                pages.append(page)
            } else {
                pages[pages.count - 1].fields = (last.fields ?? []) + [field]
            }
        }

        if pages.count > 1 {
            for index in pages.indices {
                let suffix = "page \(index + 1)/\(pages.count)"
                let text = footerBase.map { "\($0) · \(suffix)" } ?? suffix
                pages[index].footer = Embed.Footer(text: text, iconURL: footerIconURL)
            }
        }
        for index in pages.indices where pages[index].totalLength == 0 && pages[index].image == nil && pages[index].thumbnail == nil {
            pages[index].description = Self.blank
        }
        return pages
    }

    /// `pages()` grouped into messages of at most 10 embeds and 6000 characters each.
    public func messages() -> [[Embed]] {
        Self.group(pages())
    }

    public static func group(_ embeds: [Embed]) -> [[Embed]] {
        var messages: [[Embed]] = []
        var current: [Embed] = []
        var total = 0
        for embed in embeds {
            if current.count == MessagePayload.maximumEmbeds || total + embed.totalLength > Embed.totalLimit, !current.isEmpty {
                messages.append(current)
                current = []
                total = 0
            }
            current.append(embed)
            total += embed.totalLength
        }
        if !current.isEmpty { messages.append(current) }
        return messages
    }

    // MARK: - Helpers

    private func header(footerText: String?) -> Embed {
        var embed = Embed()
        embed.title = nonEmpty(title).map { TextLimit.truncate($0, to: Embed.titleLimit) }
        embed.url = url
        embed.color = color
        embed.timestamp = timestamp
        if let footerText, !footerText.isEmpty { embed.footer = Embed.Footer(text: footerText, iconURL: footerIconURL) }
        if let author = nonEmpty(author) {
            embed.author = Embed.Author(name: TextLimit.truncate(author, to: Embed.authorLimit), url: authorURL, iconURL: authorIconURL)
        }
        embed.thumbnail = thumbnailURL.map(Embed.Media.init(url:))
        embed.image = imageURL.map(Embed.Media.init(url:))
        return embed
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    static func fit(_ field: Embed.Field) -> Embed.Field {
        func clean(_ text: String, _ limit: Int) -> String {
            TextLimit.isBlank(text) ? blank : TextLimit.truncate(text, to: limit)
        }
        return Embed.Field(name: clean(field.name, Embed.fieldNameLimit), value: clean(field.value, Embed.fieldValueLimit), inline: field.inline)
    }

    static func cost(_ field: Embed.Field) -> Int { TextLimit.length(field.name) + TextLimit.length(field.value) }

    static func moreNote(_ count: Int) -> Embed.Field {
        Embed.Field(name: TextLimit.ellipsis, value: "\(count) more not shown", inline: nil)
    }
}
