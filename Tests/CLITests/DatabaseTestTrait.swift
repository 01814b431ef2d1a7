import Testing
import TestSupport

/// `@Suite(.databaseTests)`: each test of the suite runs in `DatabaseTestScope` (off the cooperative pool, a
/// bounded number at a time) when the PostgreSQL test cluster is up. Each test target using it has this copy of
/// the trait: TestSupport, also linked into clanbot-bench, does not import Testing.
struct DatabaseTestTrait: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await DatabaseTestScope.run(function)
    }
}

extension Trait where Self == DatabaseTestTrait {
    static var databaseTests: Self { DatabaseTestTrait() }
}
