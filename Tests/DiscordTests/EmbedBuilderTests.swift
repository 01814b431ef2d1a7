import Foundation
import Testing
import TestSupport
@testable import Discord

@Suite struct EmbedBuilderTests {
    /// Text of random length mixing ASCII, accents, CJK, emoji (two UTF-16 units) and combined sequences.
    static func randomText(_ generator: inout SeededGenerator, maxLength: Int) -> String {
        let alphabet: [String] = ["a", "Z", " ", "\n", "é", "漢", "🎉", "👍🏽", "🏳️‍🌈", "-", "·", "e\u{301}"]
        let length = Int(generator.next() % UInt64(maxLength + 1))
        var text = ""
        for _ in 0..<length { text += alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        return text
    }

    static func randomBuilder(_ generator: inout SeededGenerator) -> EmbedBuilder {
        var builder = EmbedBuilder()
        func maybe(_ limit: Int) -> String? {
            generator.next() % 4 == 0 ? nil : randomText(&generator, maxLength: limit)
        }
        builder.title = maybe(400)
        builder.description = maybe(Int(generator.next() % 3) == 0 ? 14_000 : 3000)
        builder.footer = maybe(Int(generator.next() % 2) == 0 ? 2600 : 100)
        builder.author = maybe(300)
        builder.color = 0x3498DB
        let fieldCount = Int(generator.next() % 70)
        for _ in 0..<fieldCount {
            builder.addField(randomText(&generator, maxLength: 300), randomText(&generator, maxLength: 1300), inline: generator.next() % 2 == 0)
        }
        return builder
    }

    @Test func builtEmbedsAlwaysSatisfyDiscordsLimits() {
        var generator = SeededGenerator(seed: 2026)
        for _ in 0..<200 {
            let builder = Self.randomBuilder(&generator)
            let embed = builder.build()
            #expect(embed.limitViolations.isEmpty, "\(embed.limitViolations)")
        }
    }

    @Test func pagesAndMessagesAlwaysSatisfyDiscordsLimitsAndLoseNothing() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let builder = Self.randomBuilder(&generator)
            let pages = builder.pages()
            for page in pages { #expect(page.limitViolations.isEmpty, "\(page.limitViolations)") }

            // The description reads the same when the pages are put back together.
            let description = pages.compactMap(\.description).filter { $0 != EmbedBuilder.blank }.joined()
            #expect(description == (builder.description ?? ""))
            // Every field is there, in order (shortened only as far as the field limits require).
            let fields = pages.flatMap { $0.fields ?? [] }
            #expect(fields == builder.fields.map(EmbedBuilder.fit))

            let messages = builder.messages()
            #expect(messages.flatMap { $0 } == pages)
            for message in messages {
                #expect(message.count <= 10)
                #expect(message.reduce(0) { $0 + $1.totalLength } <= 6000)
            }
        }
    }

    @Test func truncationUsesAnEllipsisAndNeverSplitsACharacter() {
        let builder = EmbedBuilder(title: String(repeating: "🎉", count: 200), description: "short")
        let embed = builder.build()
        let title = embed.title ?? ""
        #expect(title.hasSuffix("…"))
        #expect(TextLimit.length(title) <= 256)
        #expect(title.dropLast().allSatisfy { $0 == "🎉" })
    }

    @Test func tooManyFieldsAreDroppedWithANote() {
        var builder = EmbedBuilder(title: "Leaderboard")
        for rank in 1...40 { builder.addField("#\(rank)", "player \(rank)") }
        let embed = builder.build()
        #expect(embed.fields?.count == 25)
        #expect(embed.fields?.last?.value == "16 more not shown")
        #expect(embed.fields?[23].name == "#24")
    }

    @Test func blankFieldsGetAPlaceholderDiscordAccepts() {
        let embed = EmbedBuilder().field("", "  ").build()
        #expect(embed.limitViolations.isEmpty)
        #expect(embed.fields?.first?.name == EmbedBuilder.blank)
    }

    @Test func anEmptyBuilderStillMakesAValidEmbed() {
        #expect(EmbedBuilder().build().limitViolations.isEmpty)
        #expect(EmbedBuilder().pages().count == 1)
    }

    @Test func pagesAreNumberedInTheFooter() {
        var builder = EmbedBuilder(title: "Gains", description: String(repeating: "line of text\n", count: 800))
        builder.footer = "Clan Example"
        let pages = builder.pages()
        #expect(pages.count > 1)
        #expect(pages.first?.footer?.text == "Clan Example · page 1/\(pages.count)")
        #expect(pages.allSatisfy { $0.title == "Gains" })
        // Cut at line ends, not mid-line.
        #expect(pages.dropLast().allSatisfy { $0.description?.hasSuffix("\n") == true })
    }

    @Test func aMessageNeverCarriesMoreThanTenEmbedsOrSixThousandCharacters() {
        let embeds = (0..<12).map { _ in EmbedBuilder(description: String(repeating: "x", count: 1000)).build() }
        let kept = Embed.fittingOneMessage(embeds)
        #expect(kept.count == 6)
        let payload = MessagePayload(embeds: (0..<12).map { EmbedBuilder(title: "\($0)").build() })
        #expect(payload.embeds?.count == 10)
    }

    @Test func chunksPreferLineBreaks() {
        let text = "alpha beta\ngamma delta\nepsilon"
        let chunks = TextLimit.chunks(text, limit: 14)
        #expect(chunks.joined() == text)
        #expect(chunks.first == "alpha beta\n")
        #expect(chunks.allSatisfy { TextLimit.length($0) <= 14 })
    }
}
