import Foundation
import Threads

/// A frame waiting to be written, and the caller waiting for it (nil for frames the I/O thread made itself).
struct OutboundFrame: Sendable {
    let bytes: [UInt8]
    let completion: CheckedContinuation<Void, any Error>?
}

/// What callers hand to the I/O thread since it last looked.
struct WebSocketCommands {
    var frames: [OutboundFrame] = []
    var inboxFull = false
}

/// The state callers and the I/O thread share: the connection's lifecycle (one `WebSocketConnectionState`)
/// and the queues between them. Every field is guarded by `lock`. Continuations are resumed only after
/// the lock is released (`resumes`), because `receive()`'s cancellation handler takes the lock: resuming
/// under it could deadlock against `Task.cancel()`, which holds the task's status lock while the handler runs.
final class WebSocketSharedState: BackgroundThreadOwner, @unchecked Sendable {
    // Safe: all mutable fields below are read and written only inside `lock`.
    private let lock = NSLock()
    let wakeup: WakeupPipe
    private let maximumBufferedMessages: Int
    private let now: @Sendable () -> UInt64
    private var connection: WebSocketConnectionState

    private var outbound: [OutboundFrame] = []
    private var inbox: [WebSocketMessage] = []
    private var inboxHead = 0
    private var receivers: [(id: UInt64, continuation: CheckedContinuation<WebSocketMessage, any Error>)] = []
    private var cancelledReceivers: Set<UInt64> = []
    private var nextReceiverID: UInt64 = 0
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []
    /// Resumptions decided under the lock, run by `locked` once it has released it.
    private var resumes = ResumeAfterUnlock()

    init(wakeup: WakeupPipe, maximumBufferedMessages: Int, closeTimeout: Duration, now: @escaping @Sendable () -> UInt64 = Deadline.now) {
        self.wakeup = wakeup
        self.maximumBufferedMessages = max(1, maximumBufferedMessages)
        self.now = now
        connection = WebSocketConnectionState(closeTimeout: closeTimeout)
    }

    /// Runs `body` holding the lock, then the resumptions it queued, after unlocking.
    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer {
            let due = resumes
            resumes = ResumeAfterUnlock()
            lock.unlock()
            due.run()
        }
        return try body()
    }

    /// Call with the lock held: `resume` runs once the lock is released.
    private func resumeAfterUnlock(_ resume: @escaping () -> Void) {
        resumes.add(resume)
    }

    // MARK: callers

    func enqueue(_ bytes: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let accepted = locked { () -> Bool in
                guard connection.acceptsSends else { return false }
                outbound.append(OutboundFrame(bytes: bytes, completion: continuation))
                return true
            }
            if accepted {
                wakeup.signal()
            } else {
                continuation.resume(throwing: WebSocketError.notOpen)
            }
        }
    }

    func receive() async throws -> WebSocketMessage {
        let id = locked { () -> UInt64 in
            nextReceiverID += 1
            return nextReceiverID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WebSocketMessage, any Error>) in
                var wake = false
                locked {
                    if cancelledReceivers.remove(id) != nil {
                        resumeAfterUnlock { continuation.resume(throwing: CancellationError()) }
                    } else if inboxHead < inbox.count {
                        wake = inbox.count - inboxHead >= maximumBufferedMessages
                        let message = inbox[inboxHead]
                        resumeAfterUnlock { continuation.resume(returning: message) }
                        inboxHead += 1
                        if inboxHead == inbox.count {
                            inbox.removeAll(keepingCapacity: true)
                            inboxHead = 0
                        }
                    } else if let outcome = connection.outcome {
                        resumeAfterUnlock { continuation.resume(throwing: outcome) }
                    } else {
                        receivers.append((id, continuation))
                        if connection.applicationCaughtUp() { wake = true }
                    }
                }
                if wake { wakeup.signal() }  // reading was paused on a full inbox
            }
        } onCancel: {
            locked {
                if let index = receivers.firstIndex(where: { $0.id == id }) {
                    let receiver = receivers.remove(at: index)
                    resumeAfterUnlock { receiver.continuation.resume(throwing: CancellationError()) }
                } else {
                    cancelledReceivers.insert(id)
                }
            }
        }
    }

    /// Queues our close frame (`bytes`, after every send before it) unless closing has begun, and waits
    /// until the connection is finished.
    func close(_ bytes: [UInt8]) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = locked { () -> Bool in
                if connection.outcome != nil { return true }
                if connection.requestClose(now: now()) {
                    outbound.append(OutboundFrame(bytes: bytes, completion: nil))
                }
                closeWaiters.append(continuation)
                return false
            }
            if finished { continuation.resume() } else { wakeup.signal() }
        }
    }

    /// Ends the connection at once with `error`, without a close handshake; the I/O thread then drops the socket.
    func abort(_ error: WebSocketError = .connectionLost("closed by the client without a close handshake")) {
        end(error)
        wakeup.signal()
    }

    /// At exit: the connection is dropped, so its I/O thread ends.
    func stopThreadsForExit() {
        abort(.connectionLost("the process is exiting"))
    }

    var serverClose: WebSocketCloseFrame? { locked { connection.serverClose } }
    var isOpen: Bool { locked { connection.acceptsSends } }
    var terminalError: WebSocketError? { locked { connection.outcome } }

    // MARK: I/O thread

    func takeCommands() -> WebSocketCommands {
        locked {
            var commands = WebSocketCommands()
            commands.frames = outbound
            outbound.removeAll()
            commands.inboxFull = inbox.count - inboxHead >= maximumBufferedMessages
            return commands
        }
    }

    /// Hands a message to a waiting receiver or the inbox; dropped once our close frame is queued.
    func deliver(_ message: WebSocketMessage) {
        locked {
            guard connection.deliversMessages else { return }
            if !receivers.isEmpty {
                let receiver = receivers.removeFirst()
                resumeAfterUnlock { receiver.continuation.resume(returning: message) }
            } else {
                inbox.append(message)
            }
        }
    }

    /// The peer broke the protocol after the messages already delivered. The connection is failed once
    /// the application has taken them all and asks for more (so replies it sends to them still go out),
    /// or when the grace period ends.
    func violated(_ violation: WebSocketProtocolError) {
        locked {
            let caughtUp = inboxHead == inbox.count && !receivers.isEmpty
            connection.violated(violation, caughtUp: caughtUp, now: now())
        }
    }

    /// The server's close frame arrived; returns the frame to answer with, if ours is not sent yet.
    func receivedClose(_ frame: WebSocketCloseFrame) -> WebSocketCloseFrame? {
        locked {
            let answer = connection.receivedClose(frame, now: now())
            if answer != nil { refuseQueuedSends() }
            return answer
        }
    }

    /// We cannot go on (no random bytes for a mask): the next tick ends the connection with `error`.
    func failSoon(_ error: WebSocketError) {
        locked {
            connection.failSoon(error, now: now())
            refuseQueuedSends()
        }
    }

    /// Lets time act on the lifecycle: starts a violation's close handshake or gives up on the server's
    /// close frame (then everyone waiting learns how it ended).
    func tick() -> WebSocketConnectionState.TickAction? {
        locked {
            let action = connection.tick(now: now())
            switch action {
            case .sendClose?: refuseQueuedSends()
            case .finish(let outcome)?: wakeWaiters(outcome)
            case nil: break
            }
            return action
        }
    }

    /// What the I/O thread needs to know to wait in poll(2).
    var lifecycle: (closeSent: Bool, discardsInput: Bool, deadline: Deadline) {
        locked { (connection.closeSent, connection.discardsInput, connection.deadline) }
    }

    var discardsInput: Bool { locked { connection.discardsInput } }
    var deliversMessages: Bool { locked { connection.deliversMessages } }

    /// Ends the connection for everyone with `error` unless it already ended, as `end(_ step:)`.
    @discardableResult
    func end(_ error: WebSocketError) -> WebSocketError {
        end { $0.finish(error) }
    }

    /// Ends the connection with the outcome `step` decides (end of stream, a transport error) unless it
    /// already ended: waiting receivers get the outcome (after buffered messages), queued sends fail,
    /// close() returns. Returns the outcome.
    func end(_ step: (inout WebSocketConnectionState) -> WebSocketError) -> WebSocketError {
        locked {
            let alreadyEnded = connection.outcome != nil
            let outcome = step(&connection)
            if !alreadyEnded { wakeWaiters(outcome) }
            return outcome
        }
    }

    /// Call with the lock held when the I/O thread queues its own close frame: sends accepted while the
    /// connection was open but not yet taken would follow it, which RFC 6455 forbids.
    private func refuseQueuedSends() {
        for frame in outbound { resumeAfterUnlock { frame.completion?.resume(throwing: WebSocketError.notOpen) } }
        outbound.removeAll()
    }

    /// Call with the lock held, once the connection has ended.
    private func wakeWaiters(_ error: WebSocketError) {
        for receiver in receivers { resumeAfterUnlock { receiver.continuation.resume(throwing: error) } }
        receivers.removeAll()
        for frame in outbound { resumeAfterUnlock { frame.completion?.resume(throwing: error) } }
        outbound.removeAll()
        for waiter in closeWaiters { resumeAfterUnlock { waiter.resume() } }
        closeWaiters.removeAll()
    }
}
