#if canImport(Glibc)
import Glibc
#endif

/// What one non-blocking read or write did.
public enum IOResult: Sendable, Equatable {
    /// Bytes were read or written (never zero).
    case transferred(Int)
    /// Nothing could be done now; wait until the descriptor is ready for this.
    case wouldBlock(IOInterest)
    /// The peer closed its side (reads only).
    case endOfStream
}

/// What to wait for before retrying. TLS can need to read in order to write and the other way round.
public enum IOInterest: Sendable, Equatable {
    case read, write
}

/// A connected, non-blocking byte stream over one socket: plain TCP or TLS.
/// Not thread-safe: one thread at a time (the connection's I/O thread, or callers holding a lock).
public protocol ByteStream: AnyObject {
    /// The socket to poll.
    var fileDescriptor: Int32 { get }
    /// True when bytes are already decrypted and waiting, so polling the socket would miss them.
    var hasBufferedInput: Bool { get }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> IOResult
    func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> IOResult
    /// Orderly close: TLS close_notify if there is a session, then the descriptor is released. Idempotent.
    func close()
}

extension ByteStream {
    /// Reads at least one byte, waiting until `deadline`. Returns 0 at end of stream.
    public func readSome(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(TransportError) -> Int {
        while true {
            switch try read(into: buffer) {
            case .transferred(let count): return count
            case .endOfStream: return 0
            case .wouldBlock(let interest): try Poller.wait(fileDescriptor, for: interest, until: deadline)
            }
        }
    }

    /// Writes every byte of `bytes`, waiting until `deadline`.
    public func writeAll(_ bytes: [UInt8], deadline: Deadline) throws(TransportError) {
        var offset = 0
        while offset < bytes.count {
            let attempt = bytes.withUnsafeBytes { buffer in
                Result { () throws(TransportError) -> IOResult in try write(UnsafeRawBufferPointer(rebasing: buffer[offset...])) }
            }
            switch try attempt.get() {
            case .transferred(let count): offset += count
            case .endOfStream: throw .connectionLost(detail: "peer closed the connection while we were sending")
            case .wouldBlock(let interest): try Poller.wait(fileDescriptor, for: interest, until: deadline)
            }
        }
    }
}
