/// Discord's length limits count characters the way JavaScript does: UTF-16 code units. Measuring that way
/// is never more lenient than Discord; cutting on `Character` boundaries never splits an emoji or accent.
public enum TextLimit {
    public static let ellipsis = "…"

    public static func length(_ text: String) -> Int { text.utf16.count }

    /// Empty or only Unicode white space: Discord rejects such a field name or value. (U+200B, the usual
    /// placeholder, is not white space.)
    public static func isBlank(_ text: String) -> Bool { text.allSatisfy(\.isWhitespace) }

    /// `text` if it fits in `limit`, otherwise its longest prefix that fits together with "…".
    public static func truncate(_ text: String, to limit: Int) -> String {
        guard length(text) > limit else { return text }
        guard limit > 0 else { return "" }
        let (prefix, _) = split(text, fitting: limit - length(ellipsis))
        return prefix + ellipsis
    }

    /// The longest prefix of `text` within `limit` and the rest, cut on whole characters.
    public static func split(_ text: String, fitting limit: Int) -> (String, Substring) {
        var used = 0
        var end = text.startIndex
        for character in text {
            let size = character.utf16.count
            if used + size > limit { break }
            used += size
            end = text.index(after: end)
        }
        return (String(text[..<end]), text[end...])
    }

    /// Splits `text` into chunks of at most `limit`, preferring to cut after a newline, then after a space,
    /// so that paged text reads naturally. Concatenating the chunks gives back `text`.
    static func chunks(_ text: String, limit: Int) -> [String] {
        precondition(limit > 1, "chunk limit must leave room for a character")
        var result: [String] = []
        var rest = Substring(text)
        while length(String(rest)) > limit {
            let (head, _) = split(String(rest), fitting: limit)
            var cut = head.endIndex
            if let newline = head.lastIndex(of: "\n"), head.distance(from: head.startIndex, to: newline) > head.count / 2 {
                cut = head.index(after: newline)
            } else if let space = head.lastIndex(of: " "), head.distance(from: head.startIndex, to: space) > head.count / 2 {
                cut = head.index(after: space)
            }
            let piece = String(head[..<cut])
            result.append(piece)
            rest = rest.dropFirst(piece.count)
        }
        if !rest.isEmpty || result.isEmpty { result.append(String(rest)) }
        return result
    }
}
