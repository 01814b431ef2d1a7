import Foundation

/// One named benchmark: it measures and prints its own figures.
struct Benchmark: Sendable {
    let name: String
    let summary: String
    let run: @Sendable () async throws -> Void
}

/// Wall-clock time of `body` in milliseconds.
func measureMilliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
}

/// Prints one figure in a fixed layout so runs can be compared line by line.
/// A whole number, printed as one.
func report(_ label: String, count: Int) {
    print("   \(label.padding(toLength: 48, withPad: " ", startingAt: 0)) \(count)")
}

func report(_ label: String, _ value: Double, _ unit: String, target: String? = nil) {
    let number = String(format: value >= 100 ? "%.0f" : "%.3f", value)
    let suffix = target.map { "   (target: \($0))" } ?? ""
    print("   \(label.padding(toLength: 48, withPad: " ", startingAt: 0)) \(number) \(unit)\(suffix)")
}
