import Foundation
import Transport

/// Turns accepted TCPListener descriptors into TLS server sessions presenting a test certificate.
public final class TLSServerWrapper: Sendable {
    public let certificates: TestCertificates
    private let context: TLSContext

    /// Uses `certificates`, or a fresh CA + server certificate for 127.0.0.1 and localhost.
    public init(certificates: TestCertificates? = nil) throws {
        let certificates = try certificates ?? TestCertificates.generate()
        self.certificates = certificates
        context = try TLSContext(serverCertificatePEM: certificates.serverCertificatePEM, privateKeyPEM: certificates.serverPrivateKeyPEM)
    }

    /// Takes ownership of `fd` and runs the server side of the TLS handshake.
    public func accept(_ fd: Int32, timeout: Duration = .seconds(5)) throws(TransportError) -> TLSStream {
        try TLSStream.accept(socket: TCPSocket(adopting: fd), context: context, deadline: .after(timeout))
    }
}
