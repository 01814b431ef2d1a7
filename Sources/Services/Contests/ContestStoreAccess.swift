import Domain
import Storage

extension ContestService {
    /// `store.read` with the contest repository's refusals in the service's words: above Services nobody sees
    /// a storage error.
    func reading<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await store.read(body)
        } catch let error as ContestStorageError {
            throw ContestServiceError(error)
        }
    }

    /// `store.write` (one transaction), with the repository's refusals in the service's words.
    @discardableResult
    func writing<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await store.write(body)
        } catch let error as ContestStorageError {
            throw ContestServiceError(error)
        }
    }
}

extension ContestServiceError {
    /// The repository's refusal as the service's; the words a person reads stay the same.
    init(_ error: ContestStorageError) {
        switch error {
        case .unknownContest(let id): self = .unknownContest(id)
        case .refused(let refusal): self = .refused(refusal)
        case .invalidRule(let rule): self = .invalidRule(rule)
        case .inconsistent, .unreadable: self = .storedData(error.description)
        }
    }
}
