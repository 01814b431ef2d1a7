import Foundation
import TestSupport
import Testing
@testable import Transport

@Suite struct HTTPClientTLSTests {
    @Test func httpsVerifiesAgainstTheExtraCAFile() async throws {
        let tls = try TLSServerWrapper()
        let server = try HTTPTestServer(tls: tls) { request in .json("{\"path\":\"\(request.path)\"}") }
        #expect(server.baseURL.hasPrefix("https://127.0.0.1:"))
        let client = try HTTPClient(configuration: .init(caFile: tls.certificates.caFilePath))
        for _ in 0..<3 {
            let response = try await client.send(.get(server.baseURL + "/secure"))
            #expect(response.status == 200)
            #expect(response.text == "{\"path\":\"/secure\"}")
        }
        #expect(server.requests.count == 3)
    }

    @Test func withoutTheExtraCAThePeerIsRejected() async throws {
        let tls = try TLSServerWrapper()
        let server = try HTTPTestServer(tls: tls) { _ in .text("should not be read") }
        let client = try HTTPClient()
        await #expect {
            try await client.send(.get(server.baseURL + "/"))
        } throws: { error in
            if case .tls(let message) = error as? HTTPError { return !message.isEmpty }
            return false
        }
        #expect(server.requests.isEmpty)
    }

    @Test func aCertificateForAnotherHostIsRejected() async throws {
        let certificates = try TestCertificates.generate(hosts: ["elsewhere.invalid"])
        let tls = try TLSServerWrapper(certificates: certificates)
        let server = try HTTPTestServer(tls: tls) { _ in .text("should not be read") }
        let client = try HTTPClient(configuration: .init(caFile: certificates.caFilePath))
        await #expect {
            try await client.send(.get(server.baseURL + "/"))
        } throws: { error in
            if case .tls = error as? HTTPError { return true }
            return false
        }
        #expect(server.requests.isEmpty)
    }
}
