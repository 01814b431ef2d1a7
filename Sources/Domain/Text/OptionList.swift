/// A list of named values typed into a command option, such as webhook events or announcement kinds:
/// "a, b c" (commas or spaces, any case). Empty text or "all" means every value.
enum OptionList {
    /// The values named in `text`, and the words that name none. `alias` turns a word that is not a raw
    /// value (e.g. "contest" for every contest step) into the values it stands for.
    static func parse<Value: RawRepresentable & CaseIterable & Hashable>(
        _ text: String, alias: (String) -> [Value]? = { _ in nil }
    ) -> (values: Set<Value>, unknown: [String]) where Value.RawValue == String {
        let words = text.split(whereSeparator: { $0 == "," || $0 == " " }).map { $0.lowercased() }
        if words.isEmpty || words == ["all"] { return (Set(Value.allCases), []) }
        var values = Set<Value>()
        var unknown: [String] = []
        for word in words {
            if let value = Value(rawValue: word) {
                values.insert(value)
            } else if let expanded = alias(word) {
                values.formUnion(expanded)
            } else {
                unknown.append(word)
            }
        }
        return (values, unknown)
    }
}
