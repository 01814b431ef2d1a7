import Foundation

/// `--token-file PATH`: the bot token read from a file, so it never appears on a command line, where every
/// local user can read it with `ps`. The file holds the token alone; a trailing newline (as editors and
/// `echo` write) is trimmed.
enum TokenFile {
    static let flag = "--token-file"

    static func read(_ path: String) throws(CommandLineError) -> String {
        guard !path.isEmpty else { throw .missingValue(flag: flag) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .configuration("\(flag): cannot read '\(path)' (it is a directory); name the file that holds the bot token")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw .configuration("\(flag): cannot read '\(path)' (\(reason)). Check the path and that the user running clanbot may read it.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .configuration("\(flag): '\(path)' is not a text file; it should hold the bot token alone")
        }
        var token = Substring(text)
        while let last = token.last, last.isNewline { token.removeLast() }
        guard !token.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .configuration("\(flag): '\(path)' is empty; put the bot token from the Discord developer portal in it")
        }
        guard !token.contains(where: \.isNewline) else {
            throw .configuration("\(flag): '\(path)' has more than one line; it should hold the bot token alone")
        }
        return String(token)
    }
}
