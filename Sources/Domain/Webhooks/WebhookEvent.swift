/// The clan events a webhook can subscribe to.
public enum WebhookEvent: String, Sendable, Hashable, Codable, CaseIterable {
    case snapshotFinished = "snapshot.finished"
    case snapshotFailed = "snapshot.failed"
    case contestActivated = "contest.activated"
    case contestEnded = "contest.ended"
    case contestDrawn = "contest.drawn"
    case scheduleFailed = "schedule.failed"

    /// A sentence for people, used in test posts and listings.
    public var summary: String {
        switch self {
        case .snapshotFinished: "a snapshot run finished"
        case .snapshotFailed: "a snapshot run failed"
        case .contestActivated: "a contest started (commitment published)"
        case .contestEnded: "a contest's entries were locked (entry digest published)"
        case .contestDrawn: "a contest was drawn (winner, reveal and proof)"
        case .scheduleFailed: "a scheduled run could not start"
        }
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let unknown: [String]
        public var description: String {
            "unknown webhook event\(unknown.count == 1 ? "" : "s") \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
                + "known events: \(WebhookEvent.allCases.map(\.rawValue).joined(separator: ", ")), or 'all'"
        }
    }

    /// Parses a comma- or space-separated list such as "snapshot.finished, contest.drawn".
    /// Empty text or "all" means every event.
    public static func parseList(_ text: String) throws(ParseError) -> Set<WebhookEvent> {
        let (events, unknown) = OptionList.parse(text) { (_: String) -> [WebhookEvent]? in nil }
        guard unknown.isEmpty else { throw ParseError(unknown: unknown) }
        return events
    }
}
