import Foundation
import Testing

/// The layers of docs/architecture.md, read from the source files: a module imports only the modules below it,
/// and the bot never imports Storage (services hand it domain and service types; the Bot target's
/// MemberImportVisibility makes touching a storage type's members a compile error as well).
@Suite struct LayeringTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// What each layered module may import besides the system's own modules.
    static let allowed: [String: Set<String>] = [
        "Cryptography": ["COpenSSL"],
        "Threads": [],
        "Transport": ["CCurl", "COpenSSL", "CZlib", "Cryptography", "Threads"],
        "Discord": ["Transport"],
        "Domain": ["Cryptography", "BLS12381"],
        "PostgresClient": ["Transport", "Cryptography"],
        "Storage": ["CSQLite", "Cryptography", "Domain", "Threads", "PostgresClient"],
        "Hiscores": ["Transport", "Domain"],
        "Services": ["Cryptography", "Domain", "Storage", "Hiscores", "Transport"],
        "Bot": ["Discord", "Domain", "Services"],
    ]

    /// Modules of the toolchain and the C library, which every layer may use.
    static let system: Set<String> = ["Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Darwin", "Synchronization", "_Concurrency"]

    /// The module each `import` line names: `import Storage`, `@testable import Storage`, `internal import Storage`,
    /// `import struct Storage.BatchRun` all name Storage.
    static func importedModules(_ text: String) -> [String] {
        let modifiers: Set<String> = ["public", "internal", "package", "private", "fileprivate", "@_exported", "@testable", "@preconcurrency"]
        let kinds: Set<String> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias", "actor"]
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            var words = line.split(whereSeparator: \.isWhitespace).map(String.init)[...]
            while let first = words.first, modifiers.contains(first) || first.hasPrefix("@_implementationOnly") { words = words.dropFirst() }
            guard words.first == "import", words.count >= 2 else { return nil }
            words = words.dropFirst()
            if let kind = words.first, kinds.contains(kind) { words = words.dropFirst() }
            return words.first.map { String($0.prefix { $0 != "." }) }
        }
    }

    /// (file, imported module) for every import of the module's sources.
    static func imports(of module: String) throws -> [(file: String, module: String)] {
        let root = sources.appendingPathComponent(module)
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty, "no Swift sources found under \(root.path)")
        return try files.sorted().flatMap { file in
            try importedModules(String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)).map { ("\(module)/\(file)", $0) }
        }
    }

    @Test func noFileOfTheBotImportsStorage() throws {
        let offending = try Self.imports(of: "Bot").filter { $0.module == "Storage" }.map(\.file)
        #expect(offending.isEmpty, "Sources/Bot must not import Storage; ask a service for a domain or service type instead: \(offending)")
    }

    @Test(arguments: allowed.keys.sorted())
    func aModuleImportsOnlyTheLayersBelowIt(_ module: String) throws {
        let allowed = Self.allowed[module, default: []].union(Self.system)
        let offending = try Self.imports(of: module).filter { !allowed.contains($0.module) }
        #expect(offending.isEmpty, "\(module) imports modules above it or beside it: \(offending.map { "\($0.file): \($0.module)" })")
    }

    @Test func everySpellingOfAnImportIsRead() {
        let text = """
            import Storage
            @testable import Storage
            internal import Storage
            @preconcurrency public import Storage
            import struct Storage.BatchRun
            // import Storage is only a comment
            let important = "import"
            """
        #expect(Self.importedModules(text) == ["Storage", "Storage", "Storage", "Storage", "Storage"])
    }
}
