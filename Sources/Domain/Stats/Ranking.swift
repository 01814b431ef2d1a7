/// Standard competition ranking ("1224"): equal values share a rank and the next rank skips.
public enum Ranking {
    /// Ranks for `values` already sorted best-first: [90, 80, 80, 70] → [1, 2, 2, 4].
    static func competitionRanks<Value: Equatable>(_ sortedValues: [Value]) -> [Int] {
        var ranks: [Int] = []
        ranks.reserveCapacity(sortedValues.count)
        for (index, value) in sortedValues.enumerated() {
            if index > 0, sortedValues[index - 1] == value {
                ranks.append(ranks[index - 1])
            } else {
                ranks.append(index + 1)
            }
        }
        return ranks
    }
}
