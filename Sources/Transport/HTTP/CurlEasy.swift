import CCurl
import Foundation

/// libcurl's process-wide setup, done once before the first handle is made.
enum CurlGlobal {
    /// Swift runs a static initialiser exactly once, thread-safely.
    static let initialized: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
}

/// Owns one `CURL*` easy handle and its error buffer; both are freed in deinit.
/// Used by one thread at a time (the worker that took it from the pool).
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    /// libcurl writes a human-readable explanation of a failure here (CURLOPT_ERRORBUFFER).
    let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(HTTPError) {
        guard CurlGlobal.initialized == CURLE_OK else {
            throw .transfer(code: Int(CurlGlobal.initialized.rawValue), message: "curl_global_init failed")
        }
        guard let handle = curl_easy_init() else {
            throw .transfer(code: -1, message: "curl_easy_init returned no handle (out of memory?)")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Clears every option but keeps live connections for reuse, then points curl at our error buffer.
    func reset() throws(HTTPError) {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        try check(clanbot_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
    }

    func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
        try check(clanbot_curl_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
        try check(clanbot_curl_setopt_string(handle, option, value), option)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(HTTPError) {
        try check(clanbot_curl_setopt_pointer(handle, option, pointer), option)
    }

    func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPError) {
        try check(code, "option \(option.rawValue)")
    }

    func check(_ code: CURLcode, _ what: String) throws(HTTPError) {
        guard code == CURLE_OK else {
            throw .transfer(code: Int(code.rawValue), message: "setting \(what): \(Self.describe(code))")
        }
    }

    /// The error buffer's text, or curl's generic text for `code` when the buffer is empty.
    func message(for code: CURLcode) -> String {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? Self.describe(code) : text
    }

    static func describe(_ code: CURLcode) -> String {
        guard let text = curl_easy_strerror(code) else { return "curl error \(code.rawValue)" }
        return String(cString: text)
    }
}

/// Owns a `curl_slist` (request headers, `--resolve` entries); freed in deinit, after the transfer that used it.
final class CurlStringList {
    private(set) var list: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String]) throws(HTTPError) {
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                throw .transfer(code: -1, message: "curl_slist_append failed (out of memory?)")
            }
            list = appended
        }
    }

    deinit { curl_slist_free_all(list) }
}
