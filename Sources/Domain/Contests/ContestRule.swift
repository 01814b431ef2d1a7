import Cryptography
import Foundation

/// One rule of a contest: "gain at least `threshold` of something during the contest" earns `weight` entries.
/// Stored in `contest_rules` (type, targets JSON array, threshold, comparator '>=', timeframe 'during_contest', weight, title).
public struct ContestRule: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Any one of the selected skills gained at least `threshold` xp.
        case skillXP = "skill_xp"
        /// Levels gained in the selected skills, summed, at least `threshold` (no skills selected: total level).
        case skillLevels = "skill_levels"
        /// Total xp gained (the Overall row) at least `threshold`.
        case totalXP = "total_xp"
        /// Kills of the selected bosses, summed, at least `threshold`.
        case bossKC = "boss_kc"
        /// Clues of the selected tiers, summed, at least `threshold` (no tiers selected: the game's "all" row).
        case clueCount = "clue_count"
    }

    /// The only comparator: at least.
    public static let comparator = ">="
    /// What a ranked or team contest's rule line says instead: points per unit (§8.1).
    public static let pointsComparator = "per"
    /// The only timeframe: between the start and the end of the contest.
    public static let timeframe = "during_contest"

    /// 1, 2, … in the order the rules were added.
    public var position: Int
    public var kind: Kind
    /// Skill names, boss names or clue tiers as typed (matched without regard to case); empty for total_xp.
    public var targets: [String]
    public var threshold: Int64
    public var weight: Int
    public var title: String

    /// Validates a rule. Targets are checked for shape, not against a list: the hiscores' names are data.
    public init(position: Int, kind: Kind, targets: [String], threshold: Int64, weight: Int = 1, title: String) throws(ContestRuleError) {
        guard position >= 1 else { throw .invalidPosition(position) }
        guard threshold >= 1 else { throw .thresholdBelowOne(threshold) }
        guard (1...1000).contains(weight) else { throw .invalidWeight(weight) }
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= 100 else { throw .invalidTitle("a rule needs a title of 1–100 characters") }
        guard !title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidTitle("the title '\(title)' contains a control character (tab, newline, …)")
        }
        var cleaned: [String] = []
        for target in targets {
            let name = target.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 50, !name.contains(","),
                  !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw .invalidTarget(target)
            }
            if !cleaned.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) { cleaned.append(name) }
        }
        switch kind {
        case .skillXP:
            guard !cleaned.isEmpty else { throw .missingTargets(kind) }
            if cleaned.contains(where: { $0.caseInsensitiveCompare("Overall") == .orderedSame }) { throw .overallIsTotalXP }
        case .bossKC:
            guard !cleaned.isEmpty else { throw .missingTargets(kind) }
        case .totalXP:
            guard cleaned.isEmpty else { throw .unexpectedTargets(kind) }
        case .skillLevels:
            if cleaned.contains(where: { $0.caseInsensitiveCompare("Overall") == .orderedSame }) { throw .overallIsTotalXP }
        case .clueCount:
            var tiers: [String] = []
            for name in cleaned {
                guard let tier = ClueTier(rawValue: name.lowercased()) else { throw .unknownClueTier(name) }
                tiers.append(tier.rawValue)
            }
            // "all" alone is the same as no selection; "all" with other tiers would count clues twice.
            if tiers.contains(ClueTier.all.rawValue) {
                guard tiers.count == 1 else { throw .unknownClueTier("all together with single tiers") }
                tiers = []
            }
            cleaned = tiers
        }
        self.position = position
        self.kind = kind
        self.targets = cleaned
        self.threshold = threshold
        self.weight = weight
        self.title = title
    }

    /// The rule's line in the canonical rules text (docs/draw-scheme.md §3):
    /// `position TAB type TAB targets TAB ">=" TAB threshold TAB weight TAB title LF`.
    public var canonicalLine: String { canonicalLine(comparator: Self.comparator) }

    /// The line with `comparator` in the fourth field (`>=` for a raffle, `per` for points).
    public func canonicalLine(comparator: String) -> String {
        let names = Set(targets.map { $0.lowercased() }).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let targetText = names.isEmpty ? "*" : names.joined(separator: ",")
        return [String(position), kind.rawValue, targetText, comparator, String(threshold), String(weight), title].joined(separator: "\t") + "\n"
    }

    /// The rules text that activation commits to: the rules' lines in position order.
    static func canonicalText(_ rules: [ContestRule]) -> String {
        rules.sorted { $0.position < $1.position }.map(\.canonicalLine).joined()
    }

    /// SHA-256 of the canonical rules text: the `rules_digest` of the commitment.
    public static func digest(_ rules: [ContestRule]) -> [UInt8] {
        Digest.sha256(Array(canonicalText(rules).utf8))
    }

    /// What a points rule counts, in words: "3 points per 1 Zulrah kill".
    public var pointsSummary: String {
        let unit = ContestNumbers.format(threshold)
        let points = "\(weight) \(weight == 1 ? "point" : "points") per \(unit)"
        switch kind {
        case .skillXP: return "\(points) xp in \(Self.list(targets, joiner: "+"))"
        case .skillLevels: return "\(points) \(threshold == 1 ? "level" : "levels")" + (targets.isEmpty ? "" : " in \(Self.list(targets, joiner: "+"))")
        case .totalXP: return "\(points) total xp"
        case .bossKC: return "\(points) \(Self.list(targets, joiner: "+")) \(threshold == 1 ? "kill" : "kills")"
        case .clueCount: return "\(points) \(targets.isEmpty ? "" : Self.list(targets, joiner: "+") + " ")\(threshold == 1 ? "clue" : "clues")"
        }
    }

    /// What the rule asks for, in words: "gain 120,000 Slayer xp".
    public var summary: String {
        let amount = ContestNumbers.format(threshold)
        switch kind {
        case .skillXP: return "gain \(amount) xp in \(Self.list(targets, joiner: "or"))"
        case .skillLevels: return targets.isEmpty ? "gain \(amount) levels" : "gain \(amount) levels in \(Self.list(targets, joiner: "and"))"
        case .totalXP: return "gain \(amount) total xp"
        case .bossKC: return "kill \(Self.list(targets, joiner: "or")) \(amount) times"
        case .clueCount: return targets.isEmpty ? "complete \(amount) clues" : "complete \(amount) \(Self.list(targets, joiner: "or")) clues"
        }
    }

    private static func list(_ names: [String], joiner: String) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " \(joiner) " + (names.last ?? "")
    }
}

/// Why a rule was refused.
public enum ContestRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidPosition(Int)
    case thresholdBelowOne(Int64)
    case invalidWeight(Int)
    case invalidTitle(String)
    case invalidTarget(String)
    case missingTargets(ContestRule.Kind)
    case unexpectedTargets(ContestRule.Kind)
    case unknownClueTier(String)
    case overallIsTotalXP

    public var description: String {
        switch self {
        case .invalidPosition(let position): "rule position \(position) is not 1 or more"
        case .thresholdBelowOne(let threshold): "the threshold must be at least 1, not \(threshold)"
        case .invalidWeight(let weight): "the weight (entries per satisfied rule) must be 1–1000, not \(weight)"
        case .invalidTitle(let message): message
        case .invalidTarget(let target): "'\(target)' is not a skill, boss or clue tier name (1–50 characters, no commas)"
        case .missingTargets(let kind): "a \(kind.rawValue) rule needs at least one \(kind == .bossKC ? "boss" : "skill")"
        case .unexpectedTargets(let kind): "a \(kind.rawValue) rule counts every skill; it takes no targets"
        case .unknownClueTier(let name): "'\(name)' is not a clue tier (beginner, easy, medium, hard, elite, master, or all)"
        case .overallIsTotalXP: "for Overall use a total_xp rule"
        }
    }
}

/// Numbers as people read them in messages: 120,000.
enum ContestNumbers {
    static func format(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }
}
