import Domain
import Foundation
import Hiscores
import TestSupport
import Testing

@Suite struct HiscoresParserTests {
    @Test func parsesTheFullFormatRowForRow() throws {
        let player = HiscoresFixture.Player.typical(seed: 42)
        let record = try HiscoresParser.parse(player.json)
        #expect(record == player.record)
        #expect(record.skills.count == 25)
        #expect(record.skills.last?.name == "Sailing")
        #expect(record.activities.count == HiscoresFixture.activityNames.count)
        #expect(record.overall?.xp == player.overallXP)
    }

    @Test func readsTheGamesOwnTextIncludingUnrankedRows() throws {
        // A trimmed body in the game's exact layout.
        let body = """
            {"skills":[{"id":0,"name":"Overall","rank":1272147,"level":1429,"xp":24320820},\
            {"id":1,"name":"Attack","rank":-1,"level":1,"xp":-1},\
            {"id":5,"name":"Ranged","rank":1499932,"level":77,"xp":1480269}],\
            "activities":[{"id":0,"name":"League Points","rank":-1,"score":-1},\
            {"id":6,"name":"Clue Scrolls (all)","rank":681240,"score":42},\
            {"id":24,"name":"Calvar'ion","rank":-1,"score":-1}]}
            """
        let record = try HiscoresParser.parse(body)
        #expect(record.overall == SkillScore(name: "Overall", rank: 1_272_147, level: 1429, xp: 24_320_820))
        let attack = try #require(record.skill(named: "Attack"))
        #expect(!attack.isRanked && attack.level == 1 && attack.xp == -1)
        #expect(record.activity(named: "Clue Scrolls (all)")?.score == 42)
        #expect(record.activity(named: "Calvar'ion")?.isRanked == false)
    }

    @Test func keepsActivitiesItHasNeverSeenAndSkipsUnknownKeys() throws {
        let body = """
            { "skills" : [ {"name":"Overall","xp":10,"level":3,"rank":5,"id":0, "extra":{"a":[1,2.5e3,true,null]}} ],
              "generatedAt": "2026-11-24T00:00:00Z",
              "activities" : [ {"id":99,"name":"Brand New Boss","rank":12,"score":7,"tier":"\\u00e9"} ] }
            """
        let record = try HiscoresParser.parse(body)
        #expect(record.skills.map(\.name) == ["Overall"])
        #expect(record.activities == [ActivityScore(name: "Brand New Boss", rank: 12, score: 7)])
    }

    @Test func aRowInsertedMidListShiftsNothing() throws {
        var player = HiscoresFixture.Player.typical(seed: 8)
        player.activities.insert(ActivityScore(name: "Inserted Minigame - Rank", rank: 4, score: 600), at: 10)
        player.skills.insert(SkillScore(name: "Necromancy", rank: 2, level: 50, xp: 101_333), at: 3)
        let record = try HiscoresParser.parse(player.json)
        #expect(record == player.record)
        #expect(record.activities[11].name == player.activities[11].name)
    }

    @Test func unescapesNames() throws {
        let body = #"{"skills":[{"name":"Over\"all \u00e9\ud83d\ude00","rank":1,"level":1,"xp":1}],"activities":[]}"#
        #expect(try HiscoresParser.parse(body).skills.first?.name == "Over\"all é😀")
    }

    @Test(arguments: [
        "",
        "<html><body>Service unavailable</body></html>",
        "{",
        "{\"skills\":[{\"name\":\"Overall\",\"rank\":1,\"level\":1,\"xp\":1}",
        "{\"activities\":[]}",
        "{\"skills\":[{\"name\":\"Overall\",\"rank\":1,\"level\":1}],\"activities\":[]}",
        "{\"skills\":[{\"name\":\"Overall\",\"rank\":\"1\",\"level\":1,\"xp\":1}],\"activities\":[]}",
        "{\"skills\":[{\"name\":\"Overall\",\"rank\":1,\"level\":1,\"xp\":1.5}],\"activities\":[]}",
        "{\"skills\":[{\"name\":\"Overall\",\"rank\":1,\"level\":1,\"xp\":99999999999999999999}],\"activities\":[]}",
        "{\"skills\":[],\"activities\":[{\"name\":\"Zulrah\",\"rank\":1}]}",
        "{\"skills\":[],\"activities\":[]} trailing",
        "{\"skills\":[{\"name\":\"Over\nall\",\"rank\":1,\"level\":1,\"xp\":1}],\"activities\":[]}",
    ])
    func malformedBodiesAreTypedErrors(body: String) {
        #expect(throws: HiscoresParseError.self) { try HiscoresParser.parse(body) }
    }

    @Test func errorsSayWhereAndWhat() {
        do {
            _ = try HiscoresParser.parse("{\"skills\":[{\"name\":\"Overall\",\"rank\":1,\"level\":1}]}")
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 11)
            #expect(error.description.contains("name, rank, level and xp"))
        }
    }
}
