/// An IPv4 (4 bytes) or IPv6 (16 bytes) address, parsed from text or taken from a socket address,
/// and which non-public range it falls in. Pure: no resolution, no sockets.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Network byte order: 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses an address literal as a URL host carries it: IPv6 with or without brackets (a `%zone` is
    /// ignored), IPv4 in every form the C resolver accepts (`127.0.0.1`, `127.1`, `2130706433`,
    /// `0x7f.0.0.1`, `0177.0.0.1`), so no spelling of an address passes for a host name.
    public init?(literal text: String) {
        var host = Substring(text)
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        if host.contains(":") {
            if let percent = host.firstIndex(of: "%") { host = host[..<percent] }
            guard let bytes = Self.parseIPv6(host) else { return nil }
            self.bytes = bytes
        } else {
            if host.hasSuffix(".") { host = host.dropLast() }  // a fully qualified "127.0.0.1."
            guard let bytes = Self.parseIPv4(host) else { return nil }
            self.bytes = bytes
        }
    }

    /// Four bytes cut out of an IPv6 address.
    private init(ipv4 slice: ArraySlice<UInt8>) { bytes = Array(slice) }

    public var isIPv4: Bool { bytes.count == 4 }

    /// The non-public range this address is in, or nil for an ordinary internet address.
    var nonPublicRange: NonPublicRange? {
        if isIPv4 { return Self.classifyIPv4(bytes) }
        if let (inner, compatible) = embedding {
            // IPv4-compatible addresses are deprecated and never routed: only their ranges are named.
            return inner.nonPublicRange ?? (compatible ? .reserved : nil)
        }
        return Self.classifyIPv6(bytes)
    }

    private var embedding: (address: IPAddress, compatible: Bool)? {
        guard bytes.count == 16 else { return nil }
        let last4 = IPAddress(ipv4: bytes[12..<16])
        let zeroPrefix = bytes[0..<10].allSatisfy { $0 == 0 }
        if zeroPrefix, bytes[10] == 0xFF, bytes[11] == 0xFF { return (last4, false) }
        if bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return (last4, false) }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return (IPAddress(ipv4: bytes[2..<6]), false) }
        // ::a.b.c.d, but not :: (unspecified) nor ::1 (loopback), which are IPv6's own.
        if zeroPrefix, bytes[10] == 0, bytes[11] == 0, bytes[12..<15].contains(where: { $0 != 0 }) || bytes[15] > 1 {
            return (last4, true)
        }
        return nil
    }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return "::ffff:" + bytes[12..<16].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 16, by: 2).map { Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]) }
        // RFC 5952: the longest run of two or more zero groups becomes "::".
        var best = (start: -1, length: 0)
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < groups.count, groups[end] == 0 { end += 1 }
            if end - index > best.length, end - index >= 2 { best = (index, end - index) }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.start >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }

    // MARK: - Classification

    private static func classifyIPv4(_ b: [UInt8]) -> NonPublicRange? {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): return .unspecified  // 0.0.0.0/8 "this network"
        case (10, _, _): return .privateNetwork
        case (100, 64...127, _): return .carrierGradeNAT
        case (127, _, _): return .loopback
        case (169, 254, _): return .linkLocal
        case (172, 16...31, _): return .privateNetwork
        case (192, 168, _): return .privateNetwork
        case (192, 0, 0), (192, 0, 2), (192, 88, 99), (198, 18...19, _), (198, 51, 100), (203, 0, 113):
            return .reserved  // protocol assignments, documentation, 6to4 relays, benchmarking
        case (224...239, _, _): return .multicast
        case (240...255, _, _): return .reserved  // future use and the broadcast address
        default: return nil
        }
    }

    private static func classifyIPv6(_ b: [UInt8]) -> NonPublicRange? {
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b[0..<15].allSatisfy({ $0 == 0 }), b[15] == 1 { return .loopback }
        if b[0] == 0xFF { return .multicast }
        if b[0] & 0xFE == 0xFC { return .uniqueLocal }  // fc00::/7
        if b[0] == 0xFE, b[1] & 0xC0 == 0x80 { return .linkLocal }  // fe80::/10
        // Only global unicast (2000::/3) reaches the internet; inside it, the IETF protocol block
        // (2001::/23, Teredo included) and documentation (2001:db8::/32) are not real destinations.
        guard b[0] & 0xE0 == 0x20 else { return .reserved }
        if b[0] == 0x20, b[1] == 0x01, b[2] < 0x02 { return .reserved }
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0D, b[3] == 0xB8 { return .reserved }
        return nil
    }

    // MARK: - Parsing

    /// inet_aton's forms: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills
    /// the remaining bytes.
    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            guard let value = parseIPv4Part(part) else { return nil }
            values.append(value)
        }
        for value in values.dropLast() where value > 255 { return nil }
        let remainingBytes = 5 - values.count
        guard let last = values.last, last < (UInt64(1) << (8 * remainingBytes)) else { return nil }
        var bytes = values.dropLast().map { UInt8($0) }
        for shift in stride(from: 8 * (remainingBytes - 1), through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: last >> UInt64(shift)))
        }
        return bytes
    }

    private static func parseIPv4Part(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.count <= 12 else { return nil }
        let lower = part.lowercased()
        if lower.hasPrefix("0x") { return lower.count == 2 ? 0 : UInt64(lower.dropFirst(2), radix: 16) }
        if lower.count > 1, lower.hasPrefix("0") { return UInt64(lower.dropFirst(), radix: 8) }
        return UInt64(lower, radix: 10)
    }

    /// RFC 4291 text: up to eight hex groups, one "::" for a run of zeros, an optional dotted IPv4 tail.
    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        guard let head = parseGroups(halves[0], allowIPv4Tail: halves.count == 1) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = parseGroups(halves[1], allowIPv4Tail: true), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    private static func parseGroups(_ text: String, allowIPv4Tail: Bool) -> [UInt8]? {
        if text.isEmpty { return [] }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, group) in groups.enumerated() {
            if index == groups.count - 1, allowIPv4Tail, group.contains(".") {
                guard group.split(separator: ".", omittingEmptySubsequences: false).count == 4,
                      group.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                      let v4 = parseIPv4(group) else { return nil }
                bytes += v4
            } else {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
        }
        return bytes.count <= 16 ? bytes : nil
    }
}

/// Why an address is not on the public internet: each is somewhere a webhook must not reach.
enum NonPublicRange: String, Sendable, CaseIterable, CustomStringConvertible {
    case loopback
    case privateNetwork
    case linkLocal
    case carrierGradeNAT
    case uniqueLocal
    case multicast
    case unspecified
    case reserved

    /// Reads after "is in": "10.0.0.5 is in a private network range (RFC 1918)".
    public var description: String {
        switch self {
        case .loopback: "the loopback range (this machine itself)"
        case .privateNetwork: "a private network range (RFC 1918)"
        case .linkLocal: "the link-local range (where cloud metadata services answer)"
        case .carrierGradeNAT: "the carrier-grade NAT range (100.64.0.0/10)"
        case .uniqueLocal: "the unique-local IPv6 range (fc00::/7)"
        case .multicast: "a multicast range"
        case .unspecified: "the unspecified range (0.0.0.0/8, ::)"
        case .reserved: "a reserved range (documentation, benchmarking or unallocated)"
        }
    }
}
