import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Everything that can go wrong below the WebSocket protocol: name resolution, TCP, TLS.
/// Each message says what happened and, where there is one, what to do about it.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case nameResolutionFailed(host: String, detail: String)
    case connectFailed(host: String, port: UInt16, detail: String)
    case connectTimedOut(host: String, port: UInt16, seconds: Double)
    case readTimedOut(seconds: Double)
    case writeTimedOut(seconds: Double)
    case connectionLost(detail: String)
    case system(call: String, errno: Int32)
    case tlsConfiguration(detail: String)
    case tlsHandshakeFailed(host: String, detail: String)
    case certificateNotTrusted(host: String, reason: String)
    case certificateHostMismatch(host: String, reason: String)
    case tlsFailure(detail: String)

    public var description: String {
        switch self {
        case .nameResolutionFailed(let host, let detail):
            "cannot resolve host name \(host): \(detail); check the URL and DNS"
        case .connectFailed(let host, let port, let detail):
            "cannot connect to \(host):\(port): \(detail); is the server running and the port right?"
        case .connectTimedOut(let host, let port, let seconds):
            "connecting to \(host):\(port) timed out after \(Self.format(seconds)) s; check the network or raise the connect timeout"
        case .readTimedOut(let seconds):
            "no data received for \(Self.format(seconds)) s (read timeout); the peer stopped answering"
        case .writeTimedOut(let seconds):
            "could not send for \(Self.format(seconds)) s (write timeout); the peer stopped reading"
        case .connectionLost(let detail):
            "connection lost: \(detail)"
        case .system(let call, let code):
            "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        case .tlsConfiguration(let detail):
            "TLS setup failed: \(detail)"
        case .tlsHandshakeFailed(let host, let detail):
            "TLS handshake with \(host) failed: \(detail)"
        case .certificateNotTrusted(let host, let reason):
            "certificate for \(host) not trusted: \(reason); if the server uses a private CA, set SSL_CERT_FILE to a PEM file holding that CA"
        case .certificateHostMismatch(let host, let reason):
            "certificate does not match host name \(host): \(reason); connect with the name the certificate was issued for"
        case .tlsFailure(let detail):
            "TLS error: \(detail)"
        }
    }

    private static func format(_ seconds: Double) -> String { String(format: "%.1f", seconds) }
}
