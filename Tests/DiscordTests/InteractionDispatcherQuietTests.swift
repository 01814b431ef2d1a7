import Foundation
import TestSupport
import Testing
@testable import Discord

/// The end of a burst: once the handlers have ended and nothing came for `quietAfter`, `onQuiet` runs, once.
@Suite struct InteractionDispatcherQuietTests {
    struct RecordingHandler: InteractionHandler {
        let log: LockedValue<[String]>
        func handle(_ interaction: Interaction, responder: InteractionResponder) async {
            try? await Task.sleep(for: .milliseconds(20))
            log.withLock { $0.append("handled") }
        }
    }

    @Test func quietRunsOnceAfterTheLastHandlerOfEachBurst() async throws {
        let log = LockedValue<[String]>([])
        let (quiets, quiet) = AsyncStream<Void>.makeStream()
        let rest = DiscordREST(token: "bot", apiBase: "http://127.0.0.1:1/api/v10", transport: RecordingDiscordTransport([]))
        let dispatcher = InteractionDispatcher(rest: rest, handler: RecordingHandler(log: log), quietAfter: .milliseconds(100)) {
            log.withLock { $0.append("quiet") }
            quiet.yield()
        }
        guard case .dispatch(let dispatch) = try GatewayFrameCodec.decode(Data(InteractionFixtures.slashCommand().utf8)) else { return }
        var waiting = quiets.makeAsyncIterator()

        for _ in 0..<3 { #expect(dispatcher.dispatch(dispatch)) }
        _ = await waiting.next()
        #expect(log.value == ["handled", "handled", "handled", "quiet"])

        #expect(dispatcher.dispatch(dispatch))
        _ = await waiting.next()
        #expect(log.value == ["handled", "handled", "handled", "quiet", "handled", "quiet"])
    }
}
