import Testing
@testable import Domain

@Suite struct ActivityCategoryTests {
    @Test(arguments: [
        ("Clue Scrolls (all)", ActivityCategory.clue),
        ("Clue Scrolls (master)", .clue),
        ("League Points", .points),
        ("Grid Points", .points),
        ("Some Future Points", .points),
        ("LMS - Rank", .minigame),
        ("Bounty Hunter (Legacy) - Rogue", .minigame),
        ("Soul Wars Zeal", .minigame),
        ("Rifts closed", .minigame),
        ("Collections Logged", .other),
        ("Zulrah", .boss),
        ("Chambers of Xeric: Challenge Mode", .boss),
        ("A Boss Added Next Week", .boss),
    ])
    func categoryFromName(name: String, expected: ActivityCategory) {
        #expect(ActivityCategory(activityName: name) == expected)
    }

    @Test func clueTiersRoundTripThroughTheirRowNames() {
        for tier in ClueTier.allCases {
            #expect(ClueTier(activityName: tier.activityName) == tier)
        }
        #expect(ClueTier(activityName: "Clue Scrolls (HARD)") == .hard)
        #expect(ClueTier(activityName: "Clue Scrolls (grandmaster)") == nil)
        #expect(ClueTier(activityName: "Zulrah") == nil)
    }

    @Test func minimumsToRank() {
        #expect(ActivityRanking.knownMinimum(for: "Zulrah") == 5)
        #expect(ActivityRanking.knownMinimum(for: "Mimic") == 1)
        #expect(ActivityRanking.knownMinimum(for: "TzKal-Zuk") == 1)
        #expect(ActivityRanking.knownMinimum(for: "Clue Scrolls (elite)") == 1)
        #expect(ActivityRanking.knownMinimum(for: "LMS - Rank") == 500)
        #expect(ActivityRanking.knownMinimum(for: "Collections Logged") == 500)
        #expect(ActivityRanking.knownMinimum(for: "A Boss Added Next Week") == 5)
        #expect(ActivityRanking.knownMinimum(for: "Deadman Points") == nil)
        #expect(ActivityRanking.assumedMinimum(for: "Deadman Points") == 1)
    }
}
