// swift-tools-version:6.0
// clanbot: a Discord bot for Old School RuneScape clans.
// No Swift package dependencies: Foundation, Dispatch and system C libraries only.
import PackageDescription

let package = Package(
    name: "clanbot",
    platforms: [.macOS(.v15)],  // Synchronization (Mutex, Atomic)
    products: [
        .executable(name: "clanbot", targets: ["clanbot"]),
        .executable(name: "clanbot-bench", targets: ["clanbot-bench"]),
        .executable(name: "ws-conformance", targets: ["ws-conformance"]),
        .executable(name: "memory-floor", targets: ["memory-floor"]),
    ],
    targets: [
        // C shims: one module map and one header each, found with pkg-config.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Cryptography: SHA-256, SHA-1, HMAC and secure random bytes over OpenSSL (pure functions but the CSPRNG).
        .target(name: "Cryptography", dependencies: ["COpenSSL"]),
        // BLS12381: BLS12-381 field, curve, hash-to-curve (RFC 9380) and pairing arithmetic for checking drand's
        // BLS signatures. Optimised even in debug builds: pairings at -Onone would take seconds in tests.
        .target(name: "BLS12381", dependencies: ["Cryptography"], swiftSettings: [.unsafeFlags(["-O"])]),
        // Threads: every thread clanbot starts for blocking work, joinable, so all are stopped and joined before exit.
        .target(name: "Threads"),
        // Transport: TCP, TLS over OpenSSL, WebSocket (RFC 6455), HTTP over libcurl.
        .target(name: "Transport", dependencies: ["COpenSSL", "CCurl", "CZlib", "Cryptography", "Threads"]),
        // PostgresClient: the PostgreSQL frontend/backend protocol v3 over Transport's TCP/TLS, SCRAM-SHA-256,
        // a connection pool and LISTEN/NOTIFY. Storage uses it when CLANBOT_DB is a postgres:// URL.
        .target(name: "PostgresClient", dependencies: ["Transport", "Cryptography"]),
        // Discord: gateway session, REST with bucket rate limits, interactions, embeds.
        .target(name: "Discord", dependencies: ["Transport"]),
        // Domain: pure values and rules. Foundation, hashing and BLS12-381 arithmetic only, no I/O.
        .target(name: "Domain", dependencies: ["Cryptography", "BLS12381"]),
        // Storage: the SQLite or PostgreSQL connection, statements, migrations, repositories.
        .target(name: "Storage", dependencies: ["CSQLite", "PostgresClient", "Cryptography", "Domain", "Threads"]),
        // Hiscores: OSRS hiscores client, parser, mode resolution.
        .target(name: "Hiscores", dependencies: ["Transport", "Domain"]),
        // Services: use cases over storage, hiscores and HTTP.
        .target(name: "Services", dependencies: ["Domain", "Storage", "Hiscores", "Transport", "Cryptography"]),
        // Bot: slash command router, permissions, handlers, embed renderers. It never sees Storage: services hand it
        // domain and service types. MemberImportVisibility makes that a compile error (a member of a type is only
        // visible where its module is imported) and BotTests' LayeringTests refuse `import Storage` here.
        .target(name: "Bot", dependencies: ["Discord", "Services"],
                swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]),
        // The command line: subcommands, configuration, signals (a library so tests can drive it).
        .target(name: "ClanbotCLI", dependencies: ["Bot", "Services", "Storage", "Discord", "Hiscores", "Domain", "Transport", "Threads"]),
        .executableTarget(name: "clanbot", dependencies: ["ClanbotCLI"]),
        .executableTarget(name: "clanbot-bench", dependencies: ["PostgresClient", "Domain", "Storage", "Services", "Hiscores", "Transport", "Discord", "TestSupport"]),
        .executableTarget(name: "ws-conformance", dependencies: ["Transport"]),
        // The libraries clanbot needs and nothing else, idle: the baseline the idle-memory benchmark compares with.
        .executableTarget(name: "memory-floor", dependencies: ["CCurl", "COpenSSL", "CSQLite"]),

        // Fakes shared by every test suite: local TLS/TCP servers, fake Discord, hiscores, drand.
        .target(name: "TestSupport", dependencies: ["Transport", "Discord", "COpenSSL", "Cryptography", "Domain", "BLS12381", "PostgresClient", "Threads"]),

        .testTarget(name: "CryptographyTests", dependencies: ["Cryptography"]),
        .testTarget(name: "BLS12381Tests", dependencies: ["BLS12381", "Cryptography"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain", "TestSupport"], exclude: ["Python"]),
        // The `.databaseTests` suite trait (imports Testing, so apart from TestSupport).
        .target(name: "DatabaseTestTraits", dependencies: ["TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Domain", "TestSupport", "DatabaseTestTraits"]),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "Threads", "TestSupport"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "Transport", "Cryptography", "TestSupport"]),
        .testTarget(name: "HiscoresTests", dependencies: ["Hiscores", "TestSupport", "Domain"]),
        .testTarget(name: "DiscordTests", dependencies: ["Discord", "TestSupport"]),
        .testTarget(name: "ServicesTests", dependencies: ["Services", "Storage", "Domain", "Hiscores", "Transport", "TestSupport", "DatabaseTestTraits"]),
        .testTarget(name: "BotTests", dependencies: ["Bot", "ClanbotCLI", "Services", "Discord", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["ClanbotCLI", "TestSupport", "Discord", "DatabaseTestTraits"]),
    ]
)
