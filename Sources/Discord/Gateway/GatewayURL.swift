/// Builds the URL the gateway WebSocket connects to: the base from `GET /gateway/bot` (or `resume_gateway_url`)
/// with the version and encoding query parameters Discord expects on every connection.
enum GatewayURL {
    public static let apiVersion = 10

    static func connectionURL(base: String, compress: Bool) -> String {
        var url = base
        if let query = url.firstIndex(of: "?") { url = String(url[..<query]) }
        if !url.hasSuffix("/") { url += "/" }
        url += "?v=\(apiVersion)&encoding=json"
        if compress { url += "&compress=zlib-stream" }
        return url
    }
}
