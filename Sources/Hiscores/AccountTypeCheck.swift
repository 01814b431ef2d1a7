import Domain
import Foundation

/// The outcome of resolving an account's type: the type, and what each board asked said.
public struct AccountTypeCheck: Sendable, Hashable {
    public let rsn: RSN
    public let type: AccountType
    public let checkedAt: Date
    /// The boards that were fetched; a board that answered 404 is absent from `records`.
    public let boardsAsked: [HiscoresBoard]
    public let records: [HiscoresBoard: HiscoresRecord]

    /// The regular board's record, when the player is on it (what snapshots store).
    var regularRecord: HiscoresRecord? { records[.regular] }
}

extension HiscoresClient {
    /// Resolves regular / ironman / hardcore / ultimate by comparing boards (`AccountTypeResolution`),
    /// fetching only the boards the decision needs: 2 requests for a regular account, up to 4 for an
    /// ironman type. Throws `.notOnHiscores(name, .regular)` when the player is on neither the regular
    /// nor the ironman board.
    public func resolveAccountType(_ rsn: RSN) async throws(HiscoresError) -> AccountTypeCheck {
        var known: [HiscoresBoard: BoardPresence] = [:]
        var records: [HiscoresBoard: HiscoresRecord] = [:]
        var asked: [HiscoresBoard] = []
        while true {
            switch AccountTypeResolution.step(known) {
            case .fetch(let board):
                asked.append(board)
                do {
                    let fetch = try await fetch(rsn, board: board)
                    records[board] = fetch.record
                    known[board] = BoardPresence(fetch.record)
                } catch .notOnHiscores {
                    known[board] = .absent
                }
            case .resolved(let type):
                return AccountTypeCheck(rsn: rsn, type: type, checkedAt: Date(), boardsAsked: asked, records: records)
            case .notOnHiscores:
                throw .notOnHiscores(name: rsn.display, board: .regular)
            }
        }
    }

    public func resolveAccountType(_ name: String) async throws(HiscoresError) -> AccountTypeCheck {
        let rsn: RSN
        do {
            rsn = try RSN(name)
        } catch {
            throw .invalidName(error)
        }
        return try await resolveAccountType(rsn)
    }
}
