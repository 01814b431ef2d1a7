import Testing
import TestSupport

/// `@Suite(.databaseTests)`: each test of the suite runs in `DatabaseTestScope` (off the cooperative pool, a
/// bounded number at a time) when the PostgreSQL test cluster is up. A module of its own because it imports
/// Testing, which TestSupport (also linked into clanbot-bench) must not.
public struct DatabaseTestTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await DatabaseTestScope.run(function)
    }
}

extension Trait where Self == DatabaseTestTrait {
    public static var databaseTests: Self { DatabaseTestTrait() }
}
