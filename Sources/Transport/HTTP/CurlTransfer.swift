import CCurl
import Foundation

/// What the callbacks collect during one transfer. Lives on the worker's stack for the whole
/// `curl_easy_perform`, so the unretained pointer handed to curl stays valid.
final class TransferState {
    var status = 0
    var headers = HTTPHeaders()
    var body = Data()
    let cancel: CancellationFlag
    let connectionFilter: (@Sendable (HTTPConnectAddress) -> String?)?
    /// Why the connection filter refused the first address it refused.
    var refusal: String?

    init(cancel: CancellationFlag, connectionFilter: (@Sendable (HTTPConnectAddress) -> String?)?) {
        self.cancel = cancel
        self.connectionFilter = connectionFilter
    }
}

/// One request on one easy handle: set options, perform, collect, map failures.
enum Transfer {
    static func perform(
        _ request: HTTPRequest, on easy: CurlEasy, settings: TransferSettings, cancel: CancellationFlag
    ) -> Result<HTTPResponse, HTTPError> {
        guard !cancel.isCancelled else { return .failure(.cancelled) }
        let state = TransferState(cancel: cancel, connectionFilter: settings.configuration.connectionFilter)
        do {
            let lists = try configure(easy, for: request, settings: settings, state: state)
            let start = ContinuousClock.now
            let code = withExtendedLifetime(lists) {
                withExtendedLifetime(state) { curl_easy_perform(easy.handle) }
            }
            let elapsed = ContinuousClock.now - start
            if code != CURLE_OK, let refusal = state.refusal { return .failure(.addressRefused(message: refusal)) }
            guard code == CURLE_OK else { return .failure(error(for: code, easy: easy, request: request, cancel: cancel)) }
            var status = 0
            if clanbot_curl_getinfo_long(easy.handle, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK, status > 0 {
                state.status = status
            }
            return .success(HTTPResponse(status: state.status, headers: state.headers, body: state.body, elapsed: elapsed))
        } catch {
            return .failure(error)
        }
    }

    private static func configure(
        _ easy: CurlEasy, for request: HTTPRequest, settings: TransferSettings, state: TransferState
    ) throws(HTTPError) -> [CurlStringList] {
        let configuration = settings.configuration
        try easy.reset()
        guard request.url.hasPrefix("http://") || request.url.hasPrefix("https://") else {
            throw .invalidURL(request.url, message: "only http:// and https:// URLs are supported")
        }
        do {
            try easy.set(CURLOPT_URL, request.url)
        } catch {
            throw .invalidURL(request.url, message: error.description)
        }
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_NOSIGNAL, 1)  // required when several threads use curl
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(configuration.connectTimeout))
        try easy.set(CURLOPT_TIMEOUT_MS, milliseconds(request.timeout ?? configuration.timeout))
        try easy.set(CURLOPT_ACCEPT_ENCODING, "")  // every encoding curl can decode
        try easy.set(CURLOPT_USERAGENT, configuration.userAgent)
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        if configuration.followRedirects {
            try easy.set(CURLOPT_FOLLOWLOCATION, 1)
            try easy.set(CURLOPT_MAXREDIRS, 5)
        }
        // curl reads these lists during perform: the caller keeps them alive until then.
        var lists: [CurlStringList] = []
        if !configuration.resolve.isEmpty {
            let resolve = try CurlStringList(configuration.resolve)
            try easy.check(clanbot_curl_setopt_slist(easy.handle, CURLOPT_RESOLVE, resolve.list), "CURLOPT_RESOLVE")
            lists.append(resolve)
        }
        if let bundle = settings.caBundle {
            // CURL_BLOB_COPY: curl keeps its own copy, so the bytes need only live through this call.
            let code = bundle.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> CURLcode in
                var blob = curl_blob(
                    data: UnsafeMutableRawPointer(mutating: raw.baseAddress), len: raw.count,
                    flags: UInt32(CURL_BLOB_COPY))
                return clanbot_curl_setopt_blob(easy.handle, CURLOPT_CAINFO_BLOB, &blob)
            }
            try easy.check(code, "CURLOPT_CAINFO_BLOB")
        }

        try setMethodAndBody(easy, request)

        var lines = request.headers.map { "\($0.name): \($0.value)" }
        if request.body != nil && request.headers["Expect"] == nil { lines.append("Expect:") }  // no 100-continue wait
        let headerList = try CurlStringList(lines)
        try easy.check(clanbot_curl_setopt_slist(easy.handle, CURLOPT_HTTPHEADER, headerList.list), "CURLOPT_HTTPHEADER")
        lists.append(headerList)

        let userdata = Unmanaged.passUnretained(state).toOpaque()
        try easy.check(clanbot_curl_setopt_write_callback(easy.handle, CURLOPT_WRITEFUNCTION, onBody), "CURLOPT_WRITEFUNCTION")
        try easy.set(CURLOPT_WRITEDATA, pointer: userdata)
        try easy.check(clanbot_curl_setopt_write_callback(easy.handle, CURLOPT_HEADERFUNCTION, onHeader), "CURLOPT_HEADERFUNCTION")
        try easy.set(CURLOPT_HEADERDATA, pointer: userdata)
        try easy.set(CURLOPT_NOPROGRESS, 0)
        try easy.check(clanbot_curl_setopt_xferinfo(easy.handle, CURLOPT_XFERINFOFUNCTION, onProgress), "CURLOPT_XFERINFOFUNCTION")
        try easy.set(CURLOPT_XFERINFODATA, pointer: userdata)
        if configuration.connectionFilter != nil {
            try easy.check(clanbot_curl_setopt_opensocket(easy.handle, CURLOPT_OPENSOCKETFUNCTION, onOpenSocket), "CURLOPT_OPENSOCKETFUNCTION")
            try easy.set(CURLOPT_OPENSOCKETDATA, pointer: userdata)
            // No proxy from the environment: through one, the filter would only ever see the proxy's address.
            try easy.set(CURLOPT_PROXY, "")
        }
        return lists
    }

    private static func setMethodAndBody(_ easy: CurlEasy, _ request: HTTPRequest) throws(HTTPError) {
        switch request.method {
        case .get where request.body == nil:
            try easy.set(CURLOPT_HTTPGET, 1)
            return
        case .head:
            try easy.set(CURLOPT_NOBODY, 1)
            return
        case .post:
            try easy.set(CURLOPT_POST, 1)
        default:
            try easy.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        // POST always sends a body (empty when none), so curl never reads one from stdin.
        guard request.body != nil || request.method == .post else { return }
        let body = request.body ?? Data()
        try easy.check(clanbot_curl_setopt_off_t(easy.handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
        // COPYPOSTFIELDS copies the bytes, so the Data may go away after this call.
        var empty: UInt8 = 0
        let code = body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> CURLcode in
            if let base = raw.baseAddress {
                return clanbot_curl_setopt_pointer(easy.handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
            }
            return clanbot_curl_setopt_pointer(easy.handle, CURLOPT_COPYPOSTFIELDS, &empty)
        }
        try easy.check(code, "CURLOPT_COPYPOSTFIELDS")
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    private static func error(for code: CURLcode, easy: CurlEasy, request: HTTPRequest, cancel: CancellationFlag) -> HTTPError {
        let message = easy.message(for: code)
        switch code {
        case CURLE_ABORTED_BY_CALLBACK where cancel.isCancelled:
            return .cancelled
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(message: message)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidURL(request.url, message: message)
        case CURLE_COULDNT_RESOLVE_HOST:
            return .couldNotResolve(host: URL(string: request.url)?.host ?? "the host", message: message)
        case CURLE_COULDNT_CONNECT:
            return .couldNotConnect(message: message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            return .tls(message: message)
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY:
            return .connectionFailed(message: message)
        default:
            return .transfer(code: Int(code.rawValue), message: message)
        }
    }
}

// MARK: - C callbacks (no captures: state arrives through the userdata pointer)

private let onBody: curl_write_callback = { data, size, count, userdata in
    let length = size * count
    guard let userdata else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(userdata).takeUnretainedValue()
    if let data, length > 0 {
        data.withMemoryRebound(to: UInt8.self, capacity: length) { state.body.append($0, count: length) }
    }
    return length
}

private let onHeader: curl_write_callback = { data, size, count, userdata in
    let length = size * count
    guard let userdata, let data else { return length }
    let state = Unmanaged<TransferState>.fromOpaque(userdata).takeUnretainedValue()
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }.trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        // A new status line (after 100 Continue or a redirect): keep only the final response's headers.
        state.headers = HTTPHeaders()
        let parts = line.split(separator: " ", maxSplits: 2)
        if parts.count >= 2, let status = Int(parts[1]) { state.status = status }
    } else if let colon = line.firstIndex(of: ":") {
        let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        state.headers.add(name, value)
    }
    return length
}

private let onProgress: curl_xferinfo_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(userdata).takeUnretainedValue()
    return state.cancel.isCancelled ? 1 : 0
}

/// Opens the socket for a new connection unless the connection filter refuses the address: the check
/// happens here, at connect time, for the address curl actually resolved, so no packet is ever sent to
/// a refused address. Returning CURL_SOCKET_BAD makes curl try the host's next address, if any.
private let onOpenSocket: curl_opensocket_callback = { userdata, _, address in
    guard let userdata, let address else { return CURL_SOCKET_BAD }
    let state = Unmanaged<TransferState>.fromOpaque(userdata).takeUnretainedValue()
    if let filter = state.connectionFilter {
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = Int(clanbot_curl_sockaddr_ip(address, &bytes))
        let reason: String?
        if count == 0 {
            reason = "only IPv4 and IPv6 connections are allowed (address family \(address.pointee.family))"
        } else {
            reason = filter(HTTPConnectAddress(bytes: Array(bytes.prefix(count))))
        }
        if let reason {
            if state.refusal == nil { state.refusal = reason }
            return CURL_SOCKET_BAD
        }
    }
    return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
}
