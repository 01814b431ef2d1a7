import CZlib

/// Why a zlib-stream payload could not be inflated.
public enum CompressionError: Error, Sendable, Equatable, CustomStringConvertible {
    case initializationFailed(String)
    case corruptData(String)
    case outputTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .initializationFailed(let detail): "zlib could not be initialised: \(detail)"
        case .corruptData(let detail): "compressed gateway data is corrupt (\(detail)); reconnect without resuming the old stream"
        case .outputTooLarge(let limit): "a decompressed message exceeds \(limit) bytes"
        }
    }
}

/// Discord's zlib-stream transport compression: one inflate context for the whole connection.
/// Binary messages are fed in order; a message is complete when the bytes fed so far end with the
/// Z_SYNC_FLUSH marker 00 00 FF FF. Owns the z_stream (allocated once so it never moves) and ends it in deinit.
/// One connection, one thread (or actor) at a time.
public final class ZlibStreamInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var pending: [UInt8] = []
    private var output = [UInt8](repeating: 0, count: 64 * 1024)
    let maximumOutputSize: Int

    public init(maximumOutputSize: Int = 64 * 1024 * 1024) throws(CompressionError) {
        self.maximumOutputSize = maximumOutputSize
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = clanbot_inflateInit(stream)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .initializationFailed("inflateInit returned \(status)")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Feeds one message's bytes. Returns the inflated message once a flush marker ends the input, else nil.
    public func push(_ bytes: [UInt8]) throws(CompressionError) -> [UInt8]? {
        pending.append(contentsOf: bytes)
        guard pending.count >= 4, pending.suffix(4).elementsEqual([0x00, 0x00, 0xFF, 0xFF]) else { return nil }
        defer { pending.removeAll(keepingCapacity: true) }
        return try inflateAll()
    }

    private func inflateAll() throws(CompressionError) -> [UInt8] {
        var result: [UInt8] = []
        let outputCapacity = output.count
        let failure: CompressionError? = pending.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.pointee.next_in = input.baseAddress
                stream.pointee.avail_in = UInt32(input.count)
                while true {
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(outputCapacity)
                    let status = inflate(stream, Z_SYNC_FLUSH)
                    let produced = outputCapacity - Int(stream.pointee.avail_out)
                    result.append(contentsOf: out[0..<produced])
                    if result.count > maximumOutputSize { return .outputTooLarge(limit: maximumOutputSize) }
                    switch status {
                    case Z_OK:
                        if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { return nil }
                    case Z_BUF_ERROR:
                        // No progress possible: all input consumed and flushed.
                        if stream.pointee.avail_in == 0 { return nil }
                        return .corruptData("inflate made no progress with input left")
                    case Z_STREAM_END:
                        // The sender ended its stream; start a fresh one for whatever follows.
                        inflateReset(stream)
                        if stream.pointee.avail_in == 0 { return nil }
                    default:
                        let message = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                        return .corruptData(message)
                    }
                }
            }
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        if let failure { throw failure }
        return result
    }
}
