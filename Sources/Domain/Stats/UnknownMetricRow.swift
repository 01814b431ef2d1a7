/// A skill or activity no snapshot has ever held (a typo, or nobody has that boss on record yet), with the
/// nearest names that do exist.
public struct UnknownMetricRow: Error, Sendable, Hashable, CustomStringConvertible {
    public let row: MetricRow
    public let suggestions: [String]

    public init(row: MetricRow, suggestions: [String]) {
        self.row = row
        self.suggestions = suggestions
    }

    public var description: String {
        let (kind, name) = switch row {
        case .skill(let name): ("skill", name)
        case .activity(let name): ("activity", name)
        }
        let hint = suggestions.isEmpty ? "" : " Did you mean: \(suggestions.joined(separator: ", "))?"
        return "no snapshot holds a \(kind) named '\(name)'.\(hint)"
    }
}
