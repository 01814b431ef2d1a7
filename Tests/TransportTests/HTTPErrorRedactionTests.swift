import Foundation
import Testing
@testable import Transport

/// An HTTP error never repeats a URL's path or query: webhook URLs carry their secret there.
@Suite struct HTTPErrorRedactionTests {
    @Test func aURLIsShownAsSchemeAndHostOnly() {
        #expect(HTTPRequest.redacted("https://discord.com/api/webhooks/1/SECRET?wait=true") == "https://discord.com/…")
        #expect(HTTPRequest.redacted("http://127.0.0.1:8080/services/T/B/SECRET") == "http://127.0.0.1:8080/…")
        #expect(HTTPRequest.redacted("not a url at all SECRET") == "(a URL that could not be read)")
    }

    @Test(arguments: ["http://exa mple.com/api/webhooks/1/SECRET-in-path", "gopher://example.com/SECRET-in-path"])
    func aURLCurlRefusesIsNotEchoed(url: String) async throws {
        let client = try HTTPClient()
        do {
            _ = try await client.send(.get(url))
            Issue.record("\(url) was sent")
        } catch {
            #expect(!error.description.contains("SECRET"), "\(error)")
        }
    }
}
