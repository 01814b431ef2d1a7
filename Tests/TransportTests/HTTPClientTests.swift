import Foundation
import TestSupport
import Testing
@testable import Transport

@Suite struct HTTPClientTests {
    @Test func getSendsHeadersAndReadsStatusHeadersAndBody() async throws {
        let server = try HTTPTestServer { request in
            var headers: HTTPHeaders = ["X-Echo": request.headers["X-Token"] ?? "none"]
            headers.add("Set-Cookie", "a=1")
            headers.add("set-cookie", "b=2")
            return .json("{\"ok\":true}", status: 201, headers: headers)
        }
        let client = try HTTPClient()
        let response = try await client.send(.get(server.baseURL + "/path/x?name=Lynx%20Titan", headers: ["X-Token": "secret"]))
        #expect(response.status == 201)
        #expect(response.text == "{\"ok\":true}")
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["X-ECHO"] == "secret")
        #expect(response.headers.values(for: "Set-Cookie") == ["a=1", "b=2"])
        #expect(response.elapsed > .zero)

        let received = try #require(server.requests.first)
        #expect(received.method == "GET")
        #expect(received.target == "/path/x?name=Lynx%20Titan")
        #expect(received.path == "/path/x")
        #expect(received.queryValue("name") == "Lynx Titan")
        #expect(received.headers["x-token"] == "secret")
        #expect(received.headers["User-Agent"] == "clanbot/\(ClanbotVersion.current)")
    }

    @Test func methodsAndBodiesArriveAsSent() async throws {
        let server = try HTTPTestServer { _ in .status(204) }
        let client = try HTTPClient()
        let body = Data("{\"content\":\"hi\"}".utf8)
        _ = try await client.send(.json(.post, server.baseURL + "/post", body: body))
        _ = try await client.send(.json(.patch, server.baseURL + "/patch", body: body))
        _ = try await client.send(HTTPRequest(method: .put, url: server.baseURL + "/put", body: Data()))
        _ = try await client.send(HTTPRequest(method: .delete, url: server.baseURL + "/delete"))
        _ = try await client.send(HTTPRequest(method: .post, url: server.baseURL + "/empty-post"))
        let requests = server.requests
        #expect(requests.map(\.method) == ["POST", "PATCH", "PUT", "DELETE", "POST"])
        #expect(requests[0].body == body)
        #expect(requests[0].headers["Content-Type"] == "application/json")
        #expect(requests[0].headers["Expect"] == nil)
        #expect(requests[1].body == body)
        #expect(requests[2].body.isEmpty)
        #expect(requests[4].body.isEmpty)
        #expect(requests[4].headers["Content-Length"] == "0")
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        let router = HTTPTestRouter()
        router.route("GET", "/boom", script: [.text("down", status: 503)])
        let server = try HTTPTestServer(router: router)
        let client = try HTTPClient()
        let response = try await client.send(.get(server.baseURL + "/boom"))
        #expect(response.status == 503)
        #expect(response.isServerError)
        #expect(try await client.send(.get(server.baseURL + "/unrouted")).status == 404)
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        let server = try HTTPTestServer { _ in .text("ok") }
        let client = try HTTPClient()
        for _ in 0..<5 { _ = try await client.send(.get(server.baseURL + "/")) }
        #expect(server.requests.count == 5)
        #expect(server.connectionCount == 1)
    }

    @Test func concurrentRequestsAllComplete() async throws {
        let server = try HTTPTestServer { request in .text(request.queryValue("n") ?? "") }
        let client = try HTTPClient(configuration: .init(maxConcurrentTransfers: 3))
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for n in 0..<12 { group.addTask { try await client.send(.get(server.baseURL + "/?n=\(n)")).text } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(bodies == Set((0..<12).map(String.init)))
    }

    @Test func aSlowServerTimesOut() async throws {
        let server = try HTTPTestServer { _ in HTTPTestResponse.text("late").delayed(by: .seconds(3)) }
        let client = try HTTPClient()
        await #expect {
            try await client.send(.get(server.baseURL + "/slow", timeout: .milliseconds(200)))
        } throws: { error in
            (error as? HTTPError)?.isTimeout == true
        }
    }

    @Test func closingWithoutAnAnswerIsAConnectionFailure() async throws {
        let server = try HTTPTestServer { _ in .closeWithoutAnswer }
        let client = try HTTPClient()
        await #expect {
            try await client.send(.get(server.baseURL + "/"))
        } throws: { error in
            if case .connectionFailed(let message) = error as? HTTPError { return !message.isEmpty }
            return false
        }
    }

    @Test func aClosedPortCannotConnect() async throws {
        let server = try HTTPTestServer { _ in .text("") }
        let url = server.baseURL + "/"
        server.stop()
        let client = try HTTPClient()
        await #expect {
            try await client.send(.get(url))
        } throws: { error in
            if case .couldNotConnect = error as? HTTPError { return true }
            return false
        }
    }

    @Test func invalidURLsAreRejected() async throws {
        let client = try HTTPClient()
        for url in ["ftp://127.0.0.1/file", "not a url", "http://"] {
            await #expect {
                try await client.send(.get(url))
            } throws: { error in
                if case .invalidURL = error as? HTTPError { return true }
                return false
            }
        }
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let arrived = AsyncMailbox<Bool>()
        let server = try HTTPTestServer { _ in
            arrived.send(true)
            return HTTPTestResponse.text("late").delayed(by: .seconds(10))
        }
        let client = try HTTPClient()
        let task = Task { try await client.send(.get(server.baseURL + "/slow")) }
        _ = try await arrived.next("the request at the server") { $0 }
        task.cancel()
        let result = await task.result
        #expect(throws: HTTPError.cancelled) { try result.get() }
    }

    @Test func caFileMustBeReadablePEM() throws {
        let files = try TemporaryDirectory("httpclient")
        let directory = files.url

        #expect {
            try HTTPClient(configuration: .init(caFile: directory.appendingPathComponent("missing.pem").path))
        } throws: { error in
            if case .tlsConfiguration(let message) = error as? HTTPError { return message.contains("missing.pem") }
            return false
        }

        let notPEM = directory.appendingPathComponent("junk.pem")
        try Data("hello".utf8).write(to: notPEM)
        #expect {
            try HTTPClient(configuration: .init(caFile: notPEM.path))
        } throws: { error in
            if case .tlsConfiguration(let message) = error as? HTTPError { return message.contains("no PEM") }
            return false
        }
    }

    @Test func anExtraCAIsAddedToTheSystemRoots() throws {
        // Any PEM certificate will do as the "extra" CA; the system bundle itself is at hand on this host.
        guard let (system, pem) = firstSystemCertificatePEM() else { return }
        let files = try TemporaryDirectory("httpclient")
        let file = URL(fileURLWithPath: try files.write("extra.pem", pem))

        let combined = try CABundle.combined(extraFile: file.path)
        #expect(combined.count == system.count + pem.utf8.count + (system.last == 10 ? 0 : 1))
        #expect(combined.suffix(pem.utf8.count) == Data(pem.utf8))
        _ = try HTTPClient(configuration: .init(caFile: file.path))
    }

    @Test func queryEncodingKeepsValuesWhole() {
        #expect(HTTPQuery.encode("Lynx Titan") == "Lynx%20Titan")
        #expect(HTTPQuery.encode("a&b=c+d") == "a%26b%3Dc%2Bd")
        #expect(HTTPQuery.encode("Zé") == "Z%C3%A9")
        #expect(HTTPQuery.string([("player", "a b"), ("x", "1")]) == "player=a%20b&x=1")
    }
}
