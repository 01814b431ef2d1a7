import Testing
@testable import Transport

/// The connection lifecycle without sockets: the test hands it the time and advances it.
@Suite struct WebSocketConnectionStateTests {
    static let second: UInt64 = 1_000_000_000
    static let start: UInt64 = 100 * second

    func open() -> WebSocketConnectionState { WebSocketConnectionState(closeTimeout: .seconds(5)) }
    static func at(_ seconds: Double) -> UInt64 { start + UInt64(seconds * 1e9) }
    static let violation = WebSocketProtocolError.invalidUTF8

    @Test func anOpenConnectionAcceptsSendsDeliversAndHasNoDeadline() {
        var connection = open()
        #expect(connection.acceptsSends && connection.deliversMessages)
        #expect(!connection.discardsInput && !connection.closeSent)
        #expect(connection.deadline == .never)
        let action = connection.tick(now: Self.at(3600))
        #expect(action == nil)
        #expect(connection.outcome == nil)
    }

    @Test func aClientCloseWaitsForTheServersCloseFrameAndTCPEnd() {
        var connection = open()
        let queued1 = connection.requestClose(now: Self.at(0))
        #expect(queued1)
        let queued2 = connection.requestClose(now: Self.at(1))
        #expect(!queued2)  // a second close queues nothing more
        #expect(!connection.acceptsSends && connection.closeSent)
        #expect(!connection.discardsInput)  // still reading for the server's close frame
        #expect(connection.deadline == .after(.seconds(5), from: Self.at(0)))

        let answer = connection.receivedClose(WebSocketCloseFrame(code: 1000, reason: "bye"), now: Self.at(1))
        #expect(answer == nil)  // ours is already out
        #expect(connection.discardsInput)
        #expect(connection.serverClose == WebSocketCloseFrame(code: 1000, reason: "bye"))
        let ended = connection.endOfStream()
        #expect(ended == .closed(serverClose: WebSocketCloseFrame(code: 1000, reason: "bye"), initiatedByClient: true))
        #expect(connection.serverClose?.code == 1000)
    }

    @Test func aClientCloseTheServerNeverAnswersEndsAtTheDeadline() {
        var connection = open()
        _ = connection.requestClose(now: Self.at(0))
        let action1 = connection.tick(now: Self.at(4.9))
        #expect(action1 == nil)
        let action2 = connection.tick(now: Self.at(5))
        #expect(action2 == .finish(.closed(serverClose: nil, initiatedByClient: true)))
        #expect(connection.outcome == .closed(serverClose: nil, initiatedByClient: true))
        #expect(connection.deadline == .never)
    }

    @Test func aServerCloseIsAnsweredWithItsCodeAndReportedAsTheServers() {
        var connection = open()
        let answer = connection.receivedClose(WebSocketCloseFrame(code: 4004, reason: "auth"), now: Self.at(0))
        #expect(answer == WebSocketCloseFrame(code: 4004))
        #expect(!connection.acceptsSends && connection.discardsInput)
        let queued = connection.requestClose(now: Self.at(1))
        #expect(!queued)  // the application closing now changes nothing
        let outcome = connection.endOfStream()
        #expect(outcome == .closed(serverClose: WebSocketCloseFrame(code: 4004, reason: "auth"), initiatedByClient: false))
        #expect(outcome.closeCode == 4004)
    }

    @Test func aViolationWaitsUntilTheApplicationHasCaughtUp() {
        var connection = open()
        connection.violated(Self.violation, caughtUp: false, now: Self.at(0))
        #expect(connection.acceptsSends)  // replies to earlier messages may still go out
        #expect(connection.discardsInput)
        let action1 = connection.tick(now: Self.at(1))
        #expect(action1 == nil)
        let caughtUp1 = connection.applicationCaughtUp()
        #expect(caughtUp1)
        let caughtUp2 = connection.applicationCaughtUp()
        #expect(!caughtUp2)  // told once
        #expect(connection.deadline == .passed)
        let action2 = connection.tick(now: Self.at(1))
        #expect(action2 == .sendClose(WebSocketCloseFrame(code: 1007, reason: Self.violation.description)))
        #expect(!connection.acceptsSends)
        let action3 = connection.tick(now: Self.at(6))
        #expect(action3 == .finish(.protocolViolation(Self.violation)))
    }

    @Test func aViolationTheApplicationNeverCatchesUpWithClosesAtTheDeadline() {
        var connection = open()
        connection.violated(Self.violation, caughtUp: false, now: Self.at(0))
        let action = connection.tick(now: Self.at(4.999))
        #expect(action == nil)
        guard case .sendClose(let frame)? = connection.tick(now: Self.at(5)) else {
            Issue.record("expected the violation's close frame")
            return
        }
        #expect(frame.code == 1007)
        // The server closing TCP after our close frame still reports the violation.
        let ended = connection.endOfStream()
        #expect(ended == .protocolViolation(Self.violation))
    }

    @Test func aViolationWhileClosingDecidesTheOutcome() {
        var connection = open()
        _ = connection.requestClose(now: Self.at(0))
        connection.violated(Self.violation, caughtUp: true, now: Self.at(1))
        #expect(connection.discardsInput)
        let action1 = connection.tick(now: Self.at(1))
        #expect(action1 == nil)  // our close frame is already out
        let action2 = connection.tick(now: Self.at(5))
        #expect(action2 == .finish(.protocolViolation(Self.violation)))
    }

    @Test func aCloseRequestedDuringAViolationSendsTheApplicationsFrameButReportsTheViolation() {
        var connection = open()
        connection.violated(Self.violation, caughtUp: false, now: Self.at(0))
        let queued = connection.requestClose(now: Self.at(1))
        #expect(queued)
        let action = connection.tick(now: Self.at(2))
        #expect(action == nil)
        let ended = connection.transportFailed(.connectionLost(detail: "reset"))
        #expect(ended == .protocolViolation(Self.violation))
    }

    @Test func theServerEndingTCPWithoutACloseFrameIsALostConnection() {
        var connection = open()
        let ended = connection.endOfStream()
        #expect(ended == .connectionLost("the server closed the TCP connection without a close frame"))
        #expect(connection.outcome?.closeCode == 1006)
    }

    @Test func transportErrorsWhileOpenAreReportedAsTheyAre() {
        var lost = open()
        let ended1 = lost.transportFailed(.connectionLost(detail: "reset by peer"))
        #expect(ended1 == .connectionLost("reset by peer"))
        var timedOut = open()
        let ended2 = timedOut.transportFailed(.readTimedOut(seconds: 2))
        #expect(ended2 == .transport(.readTimedOut(seconds: 2)))
    }

    @Test func theFirstEndingWins() {
        var connection = open()
        connection.finish(.connectionLost("aborted"))
        let ended1 = connection.finish(.notOpen)
        #expect(ended1 == .connectionLost("aborted"))
        let ended2 = connection.endOfStream()
        #expect(ended2 == .connectionLost("aborted"))
        let queued = connection.requestClose(now: Self.at(0))
        #expect(!queued)
        let answer = connection.receivedClose(WebSocketCloseFrame(code: 1000), now: Self.at(0))
        #expect(answer == nil)
        let action = connection.tick(now: Self.at(100))
        #expect(action == nil)
    }

    @Test func aFailureWithoutRandomBytesEndsAtTheNextTickWithThatError() {
        var connection = open()
        _ = connection.requestClose(now: Self.at(0))
        connection.failSoon(.randomUnavailable("no entropy"), now: Self.at(1))
        #expect(!connection.acceptsSends)
        let action = connection.tick(now: Self.at(1))
        #expect(action == .finish(.randomUnavailable("no entropy")))
    }
}
