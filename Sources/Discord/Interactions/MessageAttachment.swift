import Foundation

/// A file sent with a message (an interaction reply, a follow-up, an edit of the original response). The message
/// then goes as `multipart/form-data`: its JSON in `payload_json`, naming each file in `attachments`, and
/// the file's bytes, unchanged, in a part `files[n]`.
public struct MessageAttachment: Sendable, Equatable {
    /// Discord takes at most 10 files per message.
    public static let maximumPerMessage = 10

    public var filename: String
    public var contentType: String
    public var data: Data
    /// Alt text shown by clients, at most 1024 characters.
    public var description: String?

    public init(filename: String, data: Data, contentType: String = "application/octet-stream", description: String? = nil) {
        self.filename = filename
        self.data = data
        self.contentType = contentType
        self.description = description.map { TextLimit.truncate($0, to: 1024) }
    }

    /// A UTF-8 text file, byte for byte `bytes`.
    public static func text(_ filename: String, bytes: [UInt8], description: String? = nil) -> MessageAttachment {
        MessageAttachment(filename: filename, data: Data(bytes), contentType: "text/plain; charset=utf-8", description: description)
    }
}
