import Foundation
import Transport
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 (a free port) for tests: keep-alive, Content-Length and chunked
/// request bodies, scripted answers, and a log of every request received. Pass a `TLSServerWrapper`
/// to serve HTTPS with a test certificate (clients trust `tls.certificates.caFilePath`).
///
///     let server = try HTTPTestServer { request in .json("{}") }
///     let response = try await client.send(.get(server.baseURL + "/ping"))
///     #expect(server.requests.map(\.target) == ["/ping"])
public final class HTTPTestServer: Sendable {
    private let state: ServerState
    private let listener: TCPListener

    private let isTLS: Bool

    public init(tls: TLSServerWrapper? = nil, handler: @escaping @Sendable (HTTPTestRequest) -> HTTPTestResponse) throws {
        let state = ServerState(handler: handler, tls: tls)
        self.state = state
        isTLS = tls != nil
        listener = try TCPListener { fd in state.serve(fd) }
    }

    public convenience init(tls: TLSServerWrapper? = nil, router: HTTPTestRouter) throws {
        try self.init(tls: tls) { router.respond(to: $0) }
    }

    deinit { stop() }

    public var port: UInt16 { listener.port }
    /// `http://127.0.0.1:PORT` (`https://` with TLS), no trailing slash.
    public var baseURL: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(port)" }
    /// Every request received so far, in arrival order.
    public var requests: [HTTPTestRequest] { state.log.value }
    /// TCP connections accepted so far (1 for several requests means keep-alive worked).
    public var connectionCount: Int { state.connections.value }

    /// Stops accepting and closes open connections; a pending delayed answer is dropped.
    public func stop() {
        listener.stop()
        state.stop()
    }
}

/// Everything the connection threads share. Kept apart from the server so the threads do not keep
/// the server alive.
final class ServerState: Sendable {
    let handler: @Sendable (HTTPTestRequest) -> HTTPTestResponse
    let tls: TLSServerWrapper?
    let log = LockedValue<[HTTPTestRequest]>([])
    let connections = LockedValue(0)
    private let open = LockedValue<Set<Int32>>([])
    private let stopped = LockedValue(false)

    init(handler: @escaping @Sendable (HTTPTestRequest) -> HTTPTestResponse, tls: TLSServerWrapper?) {
        self.handler = handler
        self.tls = tls
    }

    func stop() {
        stopped.withLock { $0 = true }
        // Under the lock: a descriptor is closed (and its number freed for reuse) only with the lock
        // held, so this never shuts down a socket that now belongs to someone else.
        open.withLock { set in
            for fd in set { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func serve(_ fd: Int32) {
        let registered = open.withLock { set -> Bool in
            if stopped.value { return false }
            set.insert(fd)
            return true
        }
        defer {
            open.withLock { set in
                set.remove(fd)
                close(fd)
            }
        }
        guard registered else { return }
        connections.withLock { $0 += 1 }
        let connection: ServerConnection
        if let tls {
            // The TLS stream owns a duplicate of the descriptor and closes that one itself; the original
            // stays ours, so `stop()` can still shut the socket down under the lock.
            let duplicate = dup(fd)
            guard duplicate >= 0, let stream = try? tls.accept(duplicate) else { return }
            connection = .tls(stream)
        } else {
            connection = .plain(fd)
        }
        defer { connection.close() }
        var reader = HTTPRequestReader { connection.receive() }
        while !stopped.value, let request = reader.next() {
            log.withLock { $0.append(request) }
            let response = handler(request)
            if !wait(response.delay) || response.closesWithoutAnswer { return }
            // Either side saying `Connection: close` ends the connection after this answer.
            let closeAfter = request.headers["Connection"]?.lowercased() == "close" || response.headers["Connection"]?.lowercased() == "close"
            guard connection.send(HTTPResponseWriter.bytes(for: response, method: request.method, close: closeAfter)),
                !closeAfter
            else { return }
        }
    }

    /// Sleeps in small steps so `stop()` is not held up; false when stopped meanwhile.
    private func wait(_ delay: Duration) -> Bool {
        var remaining = delay
        let step = Duration.milliseconds(10)
        while remaining > .zero {
            if stopped.value { return false }
            let slice = min(step, remaining)
            let (seconds, attoseconds) = slice.components
            usleep(UInt32(seconds) * 1_000_000 + UInt32(attoseconds / 1_000_000_000_000))
            remaining -= slice
        }
        return !stopped.value
    }

}

/// One accepted connection, plain or TLS, as the request loop sees it.
enum ServerConnection {
    case plain(Int32)
    case tls(TLSStream)

    /// The next bytes received, or nil at end of stream or on any failure.
    func receive() -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        switch self {
        case .plain(let fd):
            while true {
                let received = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if received < 0 && errno == EINTR { continue }
                return received > 0 ? Array(chunk[..<received]) : nil
            }
        case .tls(let stream):
            let received = try? chunk.withUnsafeMutableBytes { (buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> Int in
                try stream.readSome(into: buffer, deadline: .never)
            }
            guard let received, received > 0 else { return nil }
            return Array(chunk[..<received])
        }
    }

    func send(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .plain(let fd):
            var offset = 0
            while offset < bytes.count {
                // MSG_NOSIGNAL: a client that gave up must not kill the test process with SIGPIPE.
                let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent < 0 && errno == EINTR { continue }
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        case .tls(let stream):
            do {
                try stream.writeAll(bytes, deadline: .after(.seconds(5)))
                return true
            } catch {
                return false
            }
        }
    }

    /// Plain descriptors are closed by the server (under its lock); a TLS stream closes its duplicate.
    func close() {
        if case .tls(let stream) = self { stream.close() }
    }
}

/// Reads HTTP/1.1 requests one after another from a connection.
struct HTTPRequestReader {
    private let source: () -> [UInt8]?
    private var buffer: [UInt8] = []

    init(source: @escaping () -> [UInt8]?) { self.source = source }

    /// The next request, or nil when the peer closed or sent something unparseable.
    mutating func next() -> HTTPTestRequest? {
        guard let headEnd = readUntilHeadEnd() else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(
                String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        var body = Data()
        if headers["Transfer-Encoding"]?.lowercased().contains("chunked") == true {
            guard let chunked = readChunked() else { return nil }
            body = chunked
        } else if let length = headers["Content-Length"].flatMap({ Int($0) }), length > 0 {
            guard fill(to: length) else { return nil }
            body = Data(buffer[..<length])
            buffer.removeFirst(length)
        }
        return HTTPTestRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    private mutating func readUntilHeadEnd() -> Int? {
        var searchFrom = 0
        while true {
            if buffer.count >= 4 {
                for index in searchFrom...(buffer.count - 4)
                where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                    return index
                }
                searchFrom = buffer.count - 3
            }
            guard receive() else { return nil }
        }
    }

    private mutating func readChunked() -> Data? {
        var body = Data()
        while true {
            guard let lineEnd = lineEnd() else { return nil }
            let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self).split(separator: ";")[0]
            buffer.removeFirst(lineEnd + 2)
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            guard fill(to: size + 2) else { return nil }
            body.append(contentsOf: buffer[..<size])
            buffer.removeFirst(size + 2)
            if size == 0 { return body }
        }
    }

    private mutating func lineEnd() -> Int? {
        while true {
            if buffer.count >= 2 {
                for index in 0..<(buffer.count - 1) where buffer[index] == 13 && buffer[index + 1] == 10 { return index }
            }
            guard receive() else { return nil }
        }
    }

    private mutating func fill(to count: Int) -> Bool {
        while buffer.count < count { guard receive() else { return false } }
        return true
    }

    private mutating func receive() -> Bool {
        guard let bytes = source() else { return false }
        buffer.append(contentsOf: bytes)
        return true
    }
}

/// Serialises a scripted response.
enum HTTPResponseWriter {
    static func bytes(for response: HTTPTestResponse, method: String, close: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        for field in response.headers { head += "\(field.name): \(field.value)\r\n" }
        if response.headers["Content-Length"] == nil { head += "Content-Length: \(response.body.count)\r\n" }
        if response.headers["Connection"] == nil { head += close ? "Connection: close\r\n" : "Connection: keep-alive\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if method != "HEAD" { bytes += response.body }
        return bytes
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
