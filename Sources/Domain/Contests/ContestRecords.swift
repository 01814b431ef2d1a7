import Foundation

/// One entry of an ended contest: who, for which rule, how many tickets, and why (the proof).
public struct StoredContestEntry: Sendable, Hashable {
    public var id: Int64
    public var contestID: Int64
    public var rulePosition: Int
    public var accountID: Int64
    /// The account's display name when the entry was read.
    public var name: String
    public var entryCount: Int
    public var proof: EntryProof
    /// The proof exactly as stored (JSON).
    public var proofJSON: String

    public init(id: Int64, contestID: Int64, rulePosition: Int, accountID: Int64, name: String, entryCount: Int,
                proof: EntryProof, proofJSON: String) {
        self.id = id
        self.contestID = contestID
        self.rulePosition = rulePosition
        self.accountID = accountID
        self.name = name
        self.entryCount = entryCount
        self.proof = proof
        self.proofJSON = proofJSON
    }
}

/// A member the end of a contest left out, and why.
public struct ContestExclusion: Sendable, Hashable, Codable {
    public var accountID: Int64
    public var name: String
    public var reason: String

    public init(accountID: Int64, name: String, reason: String) {
        self.accountID = accountID
        self.name = name
        self.reason = reason
    }

    private enum CodingKeys: String, CodingKey {
        case accountID = "account_id", name, reason
    }
}

/// A contest's draw as recorded: the proof (the same for every winner) and one line per winner.
public struct StoredContestDraw: Sendable, Hashable {
    public struct Winner: Sendable, Hashable {
        public var position: Int
        public var accountID: Int64
        /// The winning ticket's line in the entry file (normalised RSN).
        public var ticket: String
        /// The account's display name.
        public var displayName: String
        public var ticketIndex: Int64
        public var counter: Int64

        public init(position: Int, accountID: Int64, ticket: String, displayName: String, ticketIndex: Int64, counter: Int64) {
            self.position = position
            self.accountID = accountID
            self.ticket = ticket
            self.displayName = displayName
            self.ticketIndex = ticketIndex
            self.counter = counter
        }
    }

    public var contestID: Int64
    public var drawnAt: Date
    public var proof: DrawProof
    /// The proof byte for byte: `DrawProof.json` at the time of the draw.
    public var proofJSON: String
    public var winners: [Winner]

    public init(contestID: Int64, drawnAt: Date, proof: DrawProof, proofJSON: String, winners: [Winner]) {
        self.contestID = contestID
        self.drawnAt = drawnAt
        self.proof = proof
        self.proofJSON = proofJSON
        self.winners = winners
    }
}
