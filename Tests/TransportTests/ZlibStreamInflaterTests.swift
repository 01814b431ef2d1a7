import CZlib
import Testing
import Transport

/// A zlib deflater standing in for Discord's side of zlib-stream: one stream, Z_SYNC_FLUSH per message.
final class TestDeflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    init() {
        stream.initialize(to: z_stream())
        let status = clanbot_deflateInit(stream, Z_DEFAULT_COMPRESSION)
        precondition(status == Z_OK, "deflateInit failed in the test")
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    func compress(_ message: [UInt8]) -> [UInt8] {
        var input = message
        var result: [UInt8] = []
        var out = [UInt8](repeating: 0, count: 16 * 1024)
        input.withUnsafeMutableBufferPointer { inBuffer in
            stream.pointee.next_in = inBuffer.baseAddress
            stream.pointee.avail_in = UInt32(inBuffer.count)
            repeat {
                out.withUnsafeMutableBufferPointer { outBuffer in
                    stream.pointee.next_out = outBuffer.baseAddress
                    stream.pointee.avail_out = UInt32(outBuffer.count)
                    deflate(stream, Z_SYNC_FLUSH)
                    result.append(contentsOf: outBuffer[0..<(outBuffer.count - Int(stream.pointee.avail_out))])
                }
            } while stream.pointee.avail_out == 0
        }
        return result
    }
}

@Suite struct ZlibStreamInflaterTests {
    @Test func inflatesConsecutiveMessagesOfOneStream() throws {
        let deflater = TestDeflater()
        let inflater = try ZlibStreamInflater()
        let messages = [
            #"{"op":10,"d":{"heartbeat_interval":41250}}"#,
            #"{"op":11}"#,
            String(repeating: #"{"t":"GUILD_CREATE","s":2,"op":0,"d":{"name":"clan"}}"#, count: 500),
        ]
        for message in messages {
            let compressed = deflater.compress(Array(message.utf8))
            #expect(compressed.suffix(4) == [0x00, 0x00, 0xFF, 0xFF])
            #expect(try inflater.push(compressed) == Array(message.utf8))
        }
    }

    @Test func waitsForTheFlushMarkerWhenAMessageIsSplit() throws {
        let deflater = TestDeflater()
        let inflater = try ZlibStreamInflater()
        let message = Array(String(repeating: "chunked payload ", count: 2000).utf8)
        let compressed = deflater.compress(message)
        let middle = compressed.count / 2
        #expect(try inflater.push(Array(compressed[..<middle])) == nil)
        #expect(try inflater.push(Array(compressed[middle...])) == message)
    }

    @Test func corruptInputIsATypedError() throws {
        let inflater = try ZlibStreamInflater()
        #expect(throws: CompressionError.self) { try inflater.push([0x12, 0x34, 0x56, 0x00, 0x00, 0xFF, 0xFF]) }
    }

    @Test func outputLimitIsEnforced() throws {
        let deflater = TestDeflater()
        let inflater = try ZlibStreamInflater(maximumOutputSize: 1000)
        #expect(throws: CompressionError.outputTooLarge(limit: 1000)) {
            try inflater.push(deflater.compress([UInt8](repeating: 0x61, count: 100_000)))
        }
    }
}
