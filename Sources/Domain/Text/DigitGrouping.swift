extension Int64 {
    /// 1,234,567: commas every three digits, the same in any locale (posts are read by the whole clan).
    public var groupedDigits: String {
        let digits = String(magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return self < 0 ? "-" + out : out
    }
}
