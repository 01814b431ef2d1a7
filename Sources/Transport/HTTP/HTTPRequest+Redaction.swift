import Foundation

extension HTTPRequest {
    /// A URL as it may appear in an error or a log: scheme, host and port only. Webhook URLs carry their
    /// secret in the path (Discord's token, Slack's key), so a path or query never leaves the request.
    static func redacted(_ url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              let host = components.host, !host.isEmpty
        else { return "(a URL that could not be read)" }
        let port = components.port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(host)\(port)/…"
    }
}
