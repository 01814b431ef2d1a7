import CCurl
import COpenSSL
import CSQLite
import Foundation

// memory-floor: the libraries `clanbot run` cannot do without, initialised and left idle, and nothing
// else. The idle-memory benchmark measures it beside `clanbot run`, so the bot's own share of the
// resident set is the difference. Usage: memory-floor <database file>; prints "ready", then idles
// until it is killed.
guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: memory-floor <database file>\n".utf8))
    exit(64)
}

// libcurl, as the REST and hiscores clients use it: global init and one easy handle.
guard curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK, let easy = curl_easy_init() else {
    FileHandle.standardError.write(Data("memory-floor: libcurl did not initialise\n".utf8))
    exit(1)
}
// OpenSSL, as the gateway's TLS uses it: a client context trusting the system store.
guard let context = SSL_CTX_new(TLS_client_method()), SSL_CTX_set_default_verify_paths(context) == 1 else {
    FileHandle.standardError.write(Data("memory-floor: OpenSSL did not initialise\n".utf8))
    exit(1)
}
// SQLite in WAL mode with one table, as the store opens it.
var database: OpaquePointer?
guard sqlite3_open(CommandLine.arguments[1], &database) == SQLITE_OK,
    sqlite3_exec(database, "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t(a INTEGER) STRICT", nil, nil, nil) == SQLITE_OK
else {
    FileHandle.standardError.write(Data("memory-floor: SQLite did not open \(CommandLine.arguments[1])\n".utf8))
    exit(1)
}
// Foundation as the bot uses it at rest: JSON, dates, a named time zone and a calendar in it.
struct Hello: Decodable { let op: Int; let d: [String: Int] }
let hello = try JSONDecoder().decode(Hello.self, from: Data(#"{"op":10,"d":{"heartbeat_interval":41250}}"#.utf8))
var calendar = Calendar(identifier: .gregorian)
calendar.timeZone = TimeZone(identifier: "Europe/London") ?? .gmt
let hour = calendar.component(.hour, from: Date())
FileHandle.standardOutput.write(Data("ready (op \(hello.op), hour \(hour), \(Date().formatted(.iso8601)))\n".utf8))

// A sleeping task, so the concurrency runtime is up as it is in the bot.
while true { try await Task.sleep(for: .seconds(3600)) }
