import Testing
@testable import Domain

@Suite struct ClanRoleTests {
    @Test func leadersOutrankOfficersOutrankMembers() {
        #expect(ClanRole.leader > .officer)
        #expect(ClanRole.officer > .member)
        #expect(ClanRole.officer.canManage)
        #expect(!ClanRole.member.canManage)
    }

    @Test func boardsRoundTripThroughTheirKeys() {
        for board in HiscoresBoard.allCases {
            #expect(HiscoresBoard(key: board.key) == board)
        }
        #expect(HiscoresBoard(key: "nonsense") == nil)
    }
}
