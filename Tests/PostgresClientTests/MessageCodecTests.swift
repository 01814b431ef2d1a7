import Foundation
import Testing
@testable import PostgresClient

@Suite struct MessageCodecTests {
    @Test func startupAndSSLRequestHaveTheDocumentedLayout() {
        #expect(FrontendMessage.sslRequest() == [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])
        let startup = FrontendMessage.startup(parameters: [("user", "bot")])
        let expectedBody: [UInt8] = [0, 3, 0, 0] + Array("user".utf8) + [0] + Array("bot".utf8) + [0, 0]
        #expect(startup == Int32(expectedBody.count + 4).bigEndianBytes + expectedBody)
    }

    @Test func extendedQueryIsParseBindDescribeExecuteSyncWithBinaryTypedParameters() throws {
        let date = Date(timeIntervalSince1970: 946_684_800 + 1.5)  // 2000-01-01 00:00:01.5 UTC
        let bytes = FrontendMessage.extendedQuery(PostgresQuery("SELECT $1", [42, nil, .timestamp(date), true]))
        var types: [Character] = []
        var index = 0
        var bodies: [[UInt8]] = []
        while index < bytes.count {
            types.append(Character(Unicode.Scalar(bytes[index])))
            let length = Int(Int32(bigEndianBytes: bytes[(index + 1)..<(index + 5)]))
            bodies.append(Array(bytes[(index + 5)..<(index + 1 + length)]))
            index += 1 + length
        }
        #expect(types == ["P", "B", "D", "E", "S"])
        // Parse: unnamed statement, the SQL, four parameter types (int8, unspecified, timestamptz, bool).
        #expect(bodies[0] == [0] + Array("SELECT $1".utf8) + [0] + [0, 4] + [0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0x04, 0xa0, 0, 0, 0, 16])
        // Bind: one binary format for all, four values, NULL as length -1, timestamp as microseconds since 2000.
        let expectedBind: [UInt8] = [0, 0, 0, 1, 0, 1, 0, 4]
            + [0, 0, 0, 8] + Int64(42).bigEndianBytes
            + [0xff, 0xff, 0xff, 0xff]
            + [0, 0, 0, 8] + Int64(1_500_000).bigEndianBytes
            + [0, 0, 0, 1, 1]
            + [0, 0]
        #expect(bodies[1] == expectedBind)
    }

    @Test func decodesMessagesSplitAcrossAnyBoundary() throws {
        let stream = BackendBytes.authentication(0) + BackendBytes.parameterStatus("server_version", "15.13")
            + BackendBytes.backendKey(77) + BackendBytes.rowDescription([("n", PostgresType.int8)])
            + BackendBytes.dataRow(["1"]) + BackendBytes.dataRow([nil]) + BackendBytes.commandComplete("SELECT 2")
            + BackendBytes.notification(pid: 9, channel: "events", payload: "hi") + BackendBytes.ready("T")
        let whole = try BackendBytes.decodeAll(stream)
        #expect(whole.count == 9)
        #expect(whole[0] == .authentication(.ok))
        #expect(whole[1] == .parameterStatus(name: "server_version", value: "15.13"))
        #expect(whole[4] == .dataRow([Array("1".utf8)]))
        #expect(whole[5] == .dataRow([nil]))
        #expect(whole[7] == .notification(PostgresNotification(processID: 9, channel: "events", payload: "hi")))
        #expect(whole[8] == .readyForQuery(.inTransaction))
        // One byte at a time gives the same messages.
        var decoder = BackendMessageDecoder()
        var pieces: [BackendMessage] = []
        for byte in stream {
            decoder.append([byte])
            while let message = try decoder.next() { pieces.append(message) }
        }
        #expect(pieces == whole)
    }

    @Test func errorFieldsCarrySQLStateMessageAndDetail() throws {
        let messages = try BackendBytes.decodeAll(BackendBytes.error("23505", "duplicate key", detail: "Key (id)=(1) already exists."))
        guard case .errorResponse(let fields) = messages.first else {
            Issue.record("not an error: \(messages)")
            return
        }
        let error = fields.serverError(statement: "INSERT INTO t VALUES (1)")
        #expect(error.sqlState == "23505")
        #expect(error.message == "duplicate key")
        #expect(error.detail == "Key (id)=(1) already exists.")
        #expect(error.description.contains("INSERT INTO t VALUES (1)"))
        #expect(!error.endsSession)
    }

    @Test func refusesLiesAboutLengthAndOversizedMessages() {
        // A length below 4 cannot be.
        #expect(throws: PostgresError.self) { try BackendBytes.decodeAll([UInt8(ascii: "Z"), 0, 0, 0, 3, 73]) }
        // A ReadyForQuery with an unknown transaction status.
        #expect(throws: PostgresError.self) { try BackendBytes.decodeAll(BackendBytes.message("Z", [UInt8(ascii: "Q")])) }
        // A DataRow claiming more bytes than it holds.
        #expect(throws: PostgresError.self) { try BackendBytes.decodeAll(BackendBytes.message("D", [0, 1, 0, 0, 0, 9, 1])) }
        // Trailing bytes after a complete body.
        #expect(throws: PostgresError.self) { try BackendBytes.decodeAll(BackendBytes.message("Z", [73, 0])) }
        // Bigger than the limit: refused from the header alone, before buffering it.
        var decoder = BackendMessageDecoder(maximumMessageSize: 1024)
        decoder.append([UInt8(ascii: "D"), 0, 0, 0x10, 0])
        #expect(throws: PostgresError.self) { try decoder.next() }
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let length = Int.random(in: 0..<64, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count >= 5 { bytes[1] = 0; bytes[2] = 0 }  // plausible lengths, so bodies get parsed
            _ = try? BackendBytes.decodeAll(bytes)
        }
    }

    @Test func textValuesDecodeByType() throws {
        let int8 = PostgresColumn(name: "n", typeOID: PostgresType.int8)
        let bytea = PostgresColumn(name: "b", typeOID: PostgresType.bytea)
        let row = PostgresRow(columns: [int8, bytea, int8], values: [Array("-9".utf8), Array("\\x00ff".utf8), nil])
        #expect(try row.decode(Int64.self, at: 0) == -9)
        #expect(try row.decode(Data.self, named: "b") == Data([0, 255]))
        #expect(try row.decode(Int64?.self, at: 2) == nil)
        #expect(throws: PostgresError.self) { try row.decode(Int64.self, at: 2) }
        #expect(throws: PostgresError.self) { try row.decode(Bool.self, at: 0) }
        #expect(throws: PostgresError.self) { try row.decode(Int64.self, at: 3) }
        #expect(throws: PostgresError.self) { try row.decode(Int64.self, named: "missing") }
    }

    @Test func timestampsParseWithAndWithoutFractionsAndOffsets() {
        #expect(PostgresTimestamp.parse("2000-01-01 00:00:00+00") == Date(timeIntervalSince1970: 946_684_800))
        #expect(PostgresTimestamp.parse("2000-01-01 00:00:01.5+00") == Date(timeIntervalSince1970: 946_684_801.5))
        #expect(PostgresTimestamp.parse("2000-01-01 02:30:00+02:30") == Date(timeIntervalSince1970: 946_684_800))
        #expect(PostgresTimestamp.parse("1969-12-31 23:59:59") == Date(timeIntervalSince1970: -1))
        let precise = PostgresTimestamp.parse("2026-12-06 06:08:12.1234567+00")?.timeIntervalSince1970 ?? 0
        #expect(abs(precise - 1_796_537_292.123456) < 0.000_001)
        #expect(PostgresTimestamp.parse("infinity") == nil)
        #expect(PostgresTimestamp.parse("2000-13-01 00:00:00") == nil)
        #expect(PostgresTimestamp.parse("2000-01-01 00:00:00+") == nil)
    }
}
