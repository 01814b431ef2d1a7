import Foundation
import Testing
import TestSupport
@testable import Discord

/// Files on messages: the multipart/form-data body of Discord's "Uploading Files" (payload_json + files[n]),
/// sent to the interaction callback, the edit of @original and follow-ups.
@Suite struct AttachmentUploadTests {
    /// Every byte value, CRLFs and something that looks like a delimiter: the file must arrive unchanged.
    static let awkwardBytes: [UInt8] = Array(0...255) + Array("\r\n--not-the-boundary\r\n\r\n".utf8) + [0, 13, 10]

    @Test func theFormHasDiscordsShapeByteForByte() throws {
        let file = MessageAttachment(filename: "a\"b.bin", data: Data([0, 1, 13, 10]), contentType: "application/octet-stream")
        let form = MultipartFormData.discordMessage(payloadJSON: Data(#"{"content":"hi"}"#.utf8), files: [file])
        // A boundary that is not in any part stays as chosen; here it is random, so rebuild with a fixed one to compare.
        var fixed = MultipartFormData(boundary: "BOUNDARY")
        for part in form.parts { fixed.append(name: part.name, filename: part.filename, contentType: part.contentType, data: part.data) }
        let expected = Data("--BOUNDARY\r\nContent-Disposition: form-data; name=\"payload_json\"\r\nContent-Type: application/json\r\n\r\n{\"content\":\"hi\"}\r\n".utf8)
            + Data("--BOUNDARY\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"a%22b.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            + Data([0, 1, 13, 10]) + Data("\r\n--BOUNDARY--\r\n".utf8)
        #expect(fixed.body == expected)
        #expect(fixed.contentType == "multipart/form-data; boundary=BOUNDARY")
        #expect(form.boundary.hasPrefix("clanbot-") && form.boundary.count == 40)
        #expect(MultipartFormData.randomBoundary() != MultipartFormData.randomBoundary())
    }

    @Test func aBoundaryThatOccursInAFileIsReplaced() throws {
        var form = MultipartFormData(boundary: "clash")
        form.append(name: "files[0]", filename: "x.txt", contentType: "text/plain", data: Data("a line with clash inside".utf8))
        #expect(form.boundary != "clash")
        let parsed = try MultipartTestBody(contentType: form.contentType, body: form.body)
        #expect(parsed.part(named: "files[0]")?.data == Data("a line with clash inside".utf8))
    }

    @Test func thePayloadNamesItsFilesInAttachments() throws {
        let payload = MessagePayload(content: "entries", files: [.text("entries.txt", bytes: Array("1 A\n".utf8), description: "the entry file")])
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(payload)) as? [String: Any]
        let attachments = json?["attachments"] as? [[String: Any]]
        #expect(attachments?.count == 1)
        #expect(attachments?.first?["id"] as? Int == 0)
        #expect(attachments?.first?["filename"] as? String == "entries.txt")
        #expect(attachments?.first?["description"] as? String == "the entry file")
        let plain = try JSONSerialization.jsonObject(with: JSONEncoder().encode(MessagePayload(content: "x"))) as? [String: Any]
        #expect(plain?["attachments"] == nil)
    }

    struct World {
        let server: HTTPTestServer
        let responder: InteractionResponder

        func form(_ index: Int) throws -> MultipartTestBody {
            let request = server.requests[index]
            return try MultipartTestBody(contentType: request.headers["Content-Type"], body: request.body)
        }
    }

    func world() throws -> World {
        let server = try HTTPTestServer { request in
            request.path.hasSuffix("/callback") ? .status(204) : .json(#"{"id":"7000","channel_id":"300"}"#)
        }
        guard case .dispatch(let dispatch) = try GatewayFrameCodec.decode(Data(InteractionFixtures.slashCommand(interactionID: "99", token: "tok").utf8)) else {
            throw GatewayCodecError.malformedFrame("fixture")
        }
        let rest = DiscordREST(token: "bot", apiBase: server.baseURL + "/api/v10", transport: try HTTPClientTransport(caFile: nil))
        return World(server: server, responder: InteractionResponder(interaction: try dispatch.decodeData(Interaction.self), rest: rest))
    }

    /// The payload_json part as JSON, after checking the part's headers.
    func payload(_ form: MultipartTestBody) throws -> [String: Any] {
        let part = try #require(form.part(named: "payload_json"))
        #expect(part.contentType == "application/json")
        #expect(part.filename == nil)
        return try #require(try JSONSerialization.jsonObject(with: part.data) as? [String: Any])
    }

    func expectFile(_ form: MultipartTestBody) {
        let file = form.part(named: "files[0]")
        #expect(file?.filename == "data.bin")
        #expect(file?.contentType == "application/octet-stream")
        #expect(file.map { [UInt8]($0.data) } == Self.awkwardBytes)
        #expect(form.parts.count == 2)
    }

    @Test func aFirstReplyWithAFileIsAMultipartCallback() async throws {
        let world = try world()
        defer { world.server.stop() }
        let file = MessageAttachment(filename: "data.bin", data: Data(Self.awkwardBytes))
        try await world.responder.reply(MessagePayload(content: "here", files: [file]))
        let request = try #require(world.server.requests.first)
        #expect(request.method == "POST" && request.path == "/api/v10/interactions/99/tok/callback")
        let form = try world.form(0)
        let json = try payload(form)
        #expect(json["type"] as? Int == 4)
        let data = json["data"] as? [String: Any]
        #expect(data?["content"] as? String == "here")
        #expect((data?["attachments"] as? [[String: Any]])?.first?["filename"] as? String == "data.bin")
        #expect((data?["attachments"] as? [[String: Any]])?.first?["id"] as? Int == 0)
        expectFile(form)
    }

    @Test func editsOfTheOriginalAndFollowUpsCarryFilesToo() async throws {
        let world = try world()
        defer { world.server.stop() }
        let file = MessageAttachment(filename: "data.bin", data: Data(Self.awkwardBytes))
        try await world.responder.deferReply()
        try await world.responder.reply(MessagePayload(content: "edited", files: [file]))
        try await world.responder.reply(MessagePayload(content: "more", files: [file]))
        try await world.responder.reply(MessagePayload(content: "no file"))
        let requests = world.server.requests
        #expect(requests.map { "\($0.method) \($0.path)" } == [
            "POST /api/v10/interactions/99/tok/callback",
            "PATCH /api/v10/webhooks/1094880612145422336/tok/messages/@original",
            "POST /api/v10/webhooks/1094880612145422336/tok",
            "POST /api/v10/webhooks/1094880612145422336/tok",
        ])
        #expect(requests[0].headers["Content-Type"] == "application/json")
        let edit = try world.form(1)
        #expect(try payload(edit)["content"] as? String == "edited")
        #expect((try payload(edit)["attachments"] as? [[String: Any]])?.count == 1)
        expectFile(edit)
        let followUp = try world.form(2)
        #expect(try payload(followUp)["content"] as? String == "more")
        expectFile(followUp)
        #expect(requests[3].headers["Content-Type"] == "application/json")
    }
}
