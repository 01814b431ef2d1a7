@testable import Discord
@testable import Domain
import Foundation
import Testing
import TestSupport
@testable import Bot

@Suite struct FormatTests {
    @Test func aCommaListTypedAndOneBeingTypedAreReadAlike() {
        #expect(CommandRequest.commaSeparated(" Slayer, Fishing,, Agility ,") == ["Slayer", "Fishing", "Agility"])
        #expect(CommandRequest.commaSeparated("") == [])
        let typing = Autocomplete.commaParts("Slayer, Fishing, Agi")
        #expect(typing.chosen == ["Slayer", "Fishing"] && typing.partial == "Agi")
    }

    @Test func numbersReadTheWayPlayersWriteThem() {
        #expect(Format.compact(950) == "950")
        #expect(Format.compact(1_234) == "1.23K")
        #expect(Format.compact(12_345) == "12.3K")
        #expect(Format.compact(1_200_000) == "1.2M")
        #expect(Format.compact(13_034_431) == "13M")
        #expect(Format.compact(4_600_000_000) == "4.6B")
        #expect(Format.compact(-1_500_000) == "-1.5M")
        #expect(Format.gain(1_500) == "+1.5K")
        #expect(Format.grouped(1_234_567) == "1,234,567")
        #expect(Format.timestamp(Date(timeIntervalSince1970: 1_700_000_000.9)) == "<t:1700000000:R>")
        #expect(Format.duration(125) == "2m 5s")
        #expect(Format.duration(90_000) == "1d 1h")
    }

    @Test func customIDsRoundTripAndTimeframesFitAButton() {
        let id = CustomID("lb.page", ["3", "boss_kc", "Theatre of Blood: Hard Mode", "c1700000000-1700600000", "2"])
        #expect(CustomID(parsing: id.text) == id)
        #expect(id.text.count <= Button.maximumCustomIDLength)
        #expect(CustomID(parsing: "") == nil)
        let custom = Timeframe.custom(start: Date(timeIntervalSince1970: 1_700_000_000), end: Date(timeIntervalSince1970: 1_700_600_000))
        #expect(Timeframe(buttonKey: custom.buttonKey) == custom)
        #expect(Timeframe(buttonKey: "mtd") == .monthToDate)
        #expect(Timeframe(buttonKey: "c5-1") == nil)
    }

    @Test func refusalsSayWhoMayAndWhatTheUserIs() {
        let clan = Clan(id: 1, guildID: "1", name: "Iron Legion", slug: "iron-legion", createdAt: Date(), updatedAt: Date())
        let manage = Access.manage.refusal(action: "run snapshots", clan: clan, actual: nil)
        #expect(manage.contains("leaders and officers of **Iron Legion**"))
        #expect(manage.contains("no linked account"))
        #expect(Access.lead.refusal(action: "draw a contest", clan: clan, actual: .officer).contains("a leader of **Iron Legion**"))
    }
}

@Suite struct PanelEditorTests {
    @Test func progressIsThrottledButTheFinalStateAlwaysGoesOut() async throws {
        let sent = LockedValue<[String]>([])
        let editor = PanelEditor(interval: .seconds(60)) { payload in sent.withLock { $0.append(payload.content ?? "") } }
        for step in 1...50 {
            await editor.progress { MessagePayload(content: "step \(step)") }
        }
        await editor.finish(MessagePayload(content: "done"))
        await editor.progress { MessagePayload(content: "late") }
        try await Task.sleep(for: .milliseconds(50))
        // One progress edit in the interval (the first), then the final state; nothing after it.
        #expect(sent.value == ["step 1", "done"])
        #expect(await editor.edits == 2)
    }
}
