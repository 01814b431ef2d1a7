import Foundation

/// A frame waiting to be written, and the caller waiting for it (nil for frames the I/O thread made itself).
struct OutboundFrame: Sendable {
    let bytes: [UInt8]
    let completion: CheckedContinuation<Void, any Error>?
}

/// What callers hand to the I/O thread since it last looked.
struct WebSocketCommands {
    var frames: [OutboundFrame] = []
    var closeRequest: WebSocketCloseFrame?
    var abort = false
    var inboxFull = false
    /// The application asked for more after the last message before a protocol violation.
    var caughtUpWithViolation = false
}

/// The state callers and the I/O thread share. Every field is guarded by `lock`; continuations are
/// resumed while holding it, which is safe because resuming only schedules the waiting task.
final class WebSocketSharedState: @unchecked Sendable {
    // Safe: all mutable fields below are read and written only inside `lock`.
    private let lock = NSLock()
    let wakeup: WakeupPipe
    private let maximumBufferedMessages: Int

    private var outbound: [OutboundFrame] = []
    private var inbox: [WebSocketMessage] = []
    private var inboxHead = 0
    private var receivers: [(id: UInt64, continuation: CheckedContinuation<WebSocketMessage, any Error>)] = []
    private var cancelledReceivers: Set<UInt64> = []
    private var nextReceiverID: UInt64 = 0
    private var closeRequest: WebSocketCloseFrame?
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []
    private var abortRequested = false
    private var acceptingSends = true
    private var terminal: WebSocketError?
    private var serverCloseFrame: WebSocketCloseFrame?
    private var violationPending = false
    private var caughtUpWithViolation = false

    init(wakeup: WakeupPipe, maximumBufferedMessages: Int) {
        self.wakeup = wakeup
        self.maximumBufferedMessages = max(1, maximumBufferedMessages)
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: callers

    func enqueue(_ bytes: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let accepted = locked { () -> Bool in
                guard acceptingSends, terminal == nil else { return false }
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
                        continuation.resume(throwing: CancellationError())
                    } else if inboxHead < inbox.count {
                        wake = inbox.count - inboxHead >= maximumBufferedMessages
                        continuation.resume(returning: inbox[inboxHead])
                        inboxHead += 1
                        if inboxHead == inbox.count {
                            inbox.removeAll(keepingCapacity: true)
                            inboxHead = 0
                        }
                    } else if let terminal {
                        continuation.resume(throwing: terminal)
                    } else {
                        receivers.append((id, continuation))
                        if violationPending && !caughtUpWithViolation {
                            caughtUpWithViolation = true
                            wake = true
                        }
                    }
                }
                if wake { wakeup.signal() }  // reading was paused on a full inbox
            }
        } onCancel: {
            locked {
                if let index = receivers.firstIndex(where: { $0.id == id }) {
                    receivers.remove(at: index).continuation.resume(throwing: CancellationError())
                } else {
                    cancelledReceivers.insert(id)
                }
            }
        }
    }

    /// Asks the I/O thread to close and waits until the connection is finished.
    func close(_ frame: WebSocketCloseFrame) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = locked { () -> Bool in
                if terminal != nil { return true }
                if closeRequest == nil { closeRequest = frame }
                acceptingSends = false
                closeWaiters.append(continuation)
                return false
            }
            if finished { continuation.resume() } else { wakeup.signal() }
        }
    }

    func abort() {
        locked {
            abortRequested = true
            acceptingSends = false
        }
        wakeup.signal()
    }

    var serverClose: WebSocketCloseFrame? { locked { serverCloseFrame } }
    var isOpen: Bool { locked { terminal == nil && acceptingSends } }
    var terminalError: WebSocketError? { locked { terminal } }

    // MARK: I/O thread

    func takeCommands() -> WebSocketCommands {
        locked {
            var commands = WebSocketCommands()
            commands.frames = outbound
            outbound.removeAll()
            commands.closeRequest = closeRequest
            commands.abort = abortRequested
            commands.inboxFull = inbox.count - inboxHead >= maximumBufferedMessages
            commands.caughtUpWithViolation = caughtUpWithViolation
            return commands
        }
    }

    func deliver(_ message: WebSocketMessage) {
        locked {
            if !receivers.isEmpty {
                receivers.removeFirst().continuation.resume(returning: message)
            } else {
                inbox.append(message)
            }
        }
    }

    func stopAcceptingSends() { locked { acceptingSends = false } }

    /// The peer broke the protocol after the messages already delivered. The connection is failed once
    /// the application has taken them all and asks for more (so replies it sends to them still go out),
    /// or when the I/O thread's grace period ends.
    func markViolationPending() {
        locked {
            violationPending = true
            caughtUpWithViolation = inboxHead == inbox.count && !receivers.isEmpty
        }
    }

    func recordServerClose(_ frame: WebSocketCloseFrame) { locked { serverCloseFrame = frame } }

    /// Ends the connection for everyone: waiting receivers get `error` (after buffered messages),
    /// queued sends fail, close() returns.
    func finish(_ error: WebSocketError) {
        locked {
            guard terminal == nil else { return }
            terminal = error
            acceptingSends = false
            for receiver in receivers { receiver.continuation.resume(throwing: error) }
            receivers.removeAll()
            for frame in outbound { frame.completion?.resume(throwing: error) }
            outbound.removeAll()
            for waiter in closeWaiters { waiter.resume() }
            closeWaiters.removeAll()
        }
    }
}
