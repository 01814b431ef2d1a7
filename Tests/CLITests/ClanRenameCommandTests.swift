import Foundation
import Testing
import TestSupport
@testable import ClanbotCLI

/// `clanbot clan rename`: a member's name change from the shell, and its mistakes in words.
@Suite struct ClanRenameCommandTests {
    @Test func aMemberIsRenamedAndMistakesAreExplained() async throws {
        let env = try CLIEnvironment()
        defer { env.close() }
        _ = await env.run(["clan", "create", "Wolves"])
        _ = await env.run(["clan", "add", "wolves", "Zezima"])
        let renamed = await env.run(["clan", "rename", "wolves", "zezima", "Zezima Two"])
        #expect(renamed.status == 0, "\(renamed.err)")
        #expect(renamed.out.contains("Zezima is now Zezima Two; their history carries over"))
        #expect(await env.run(["clan", "show", "wolves"]).out.contains("Zezima Two"))

        let unknown = await env.run(["clan", "rename", "wolves", "Nobody", "Somebody"])
        #expect(unknown.status == 1)
        #expect(unknown.err.contains("Nobody is not a member of Wolves"))
        #expect(await env.run(["clan", "rename", "wolves", "Zezima Two"]).status == 64)
    }
}
