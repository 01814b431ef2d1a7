import Testing
@testable import Domain

@Suite struct IPAddressTests {
    @Test(arguments: [
        // IPv4, every non-public range
        ("127.0.0.1", NonPublicRange.loopback), ("127.255.0.9", .loopback),
        ("10.1.2.3", .privateNetwork), ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
        ("192.168.1.1", .privateNetwork), ("169.254.169.254", .linkLocal), ("100.64.0.1", .carrierGradeNAT),
        ("100.127.255.255", .carrierGradeNAT), ("0.0.0.0", .unspecified), ("224.0.0.251", .multicast),
        ("239.255.255.250", .multicast), ("240.0.0.1", .reserved), ("255.255.255.255", .reserved),
        ("192.0.2.10", .reserved), ("198.18.0.1", .reserved), ("203.0.113.7", .reserved),
        // Other spellings the C resolver accepts for the same addresses
        ("2130706433", .loopback), ("127.1", .loopback), ("0x7f.0.0.1", .loopback), ("0177.0.0.1", .loopback),
        ("0xa9fea9fe", .linkLocal), ("10.1.2.3.", .privateNetwork),
        // IPv6
        ("::1", .loopback), ("[::1]", .loopback), ("::", .unspecified), ("fe80::1", .linkLocal),
        ("fe80::1%25eth0", .linkLocal), ("fd12:3456::1", .uniqueLocal), ("fc00::1", .uniqueLocal),
        ("ff02::1", .multicast), ("2001:db8::1", .reserved), ("2001::1", .reserved), ("100::1", .reserved),
        ("fec0::1", .reserved),
        // IPv4 inside IPv6: the IPv4 address decides
        ("::ffff:127.0.0.1", .loopback), ("[::ffff:127.0.0.1]", .loopback), ("::ffff:7f00:1", .loopback),
        ("::ffff:10.0.0.5", .privateNetwork), ("::ffff:169.254.169.254", .linkLocal),
        ("64:ff9b::10.0.0.1", .privateNetwork), ("2002:a9fe:a9fe::1", .linkLocal), ("::10.0.0.1", .privateNetwork),
        ("::8.8.8.8", .reserved),
    ])
    func nonPublicAddressesNameTheirRange(literal: String, range: NonPublicRange) throws {
        let address = try #require(IPAddress(literal: literal))
        #expect(address.nonPublicRange == range)
    }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.0.1", "172.32.0.1",
                      "169.253.0.1", "2606:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8",
                      "64:ff9b::808:808", "2002:808:808::1"])
    func publicAddressesHaveNoRange(literal: String) throws {
        let address = try #require(IPAddress(literal: literal))
        #expect(address.nonPublicRange == nil)
    }

    @Test(arguments: ["discord.com", "hooks.slack.com", "1password.com", "256.1.1.1", "1.2.3.4.5", "1..2",
                      ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3", "::ffff:1.2.3.256", "g::1", ""])
    func namesAndMalformedTextAreNotAddresses(text: String) {
        #expect(IPAddress(literal: text) == nil)
    }

    @Test func addressesPrintInTheirUsualForm() throws {
        #expect(try #require(IPAddress(literal: "2130706433")).description == "127.0.0.1")
        #expect(try #require(IPAddress(literal: "[::ffff:7f00:1]")).description == "::ffff:127.0.0.1")
        #expect(try #require(IPAddress(literal: "fe80:0:0:0:0:0:0:1")).description == "fe80::1")
        #expect(try #require(IPAddress(literal: "2001:db8:0:1:0:0:0:1")).description == "2001:db8:0:1::1")
        #expect(try #require(IPAddress(literal: "::")).description == "::")
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    }
}

@Suite struct WebhookURLPolicyRangeTests {
    /// The URLs of the issue, and the word the refusal must contain.
    static let refused = [
        ("https://10.1.2.3/hook", "private"),
        ("https://169.254.169.254/latest", "link-local"),
        ("https://[::ffff:127.0.0.1]/", "loopback"),
        ("https://127.0.0.1:8443/relay", "loopback"),
        ("https://localhost/relay", "loopback"),
        ("https://100.64.1.1/", "carrier-grade NAT"),
        ("https://[fd00::5]/admin", "unique-local"),
        ("https://[ff02::1]/", "multicast"),
        ("https://0.0.0.0/", "unspecified"),
        ("https://192.0.2.1/", "reserved"),
        ("https://2130706433/", "loopback"),
    ]

    @Test(arguments: refused)
    func nonPublicLiteralsAreRefusedWithTheReason(url: String, reason: String) {
        #expect {
            try WebhookURLPolicy().validate(url)
        } throws: { error in
            (error as? WebhookURLPolicy.Rejection)?.description.contains(reason) == true
        }
    }

    @Test func loopbackIsAllowedOnlyWhenTheOperatorSaysSo() throws {
        let loopback = WebhookURLPolicy(allowLoopback: true)
        for url in ["https://[::ffff:127.0.0.1]/", "https://127.0.0.1:8443/relay", "https://localhost/relay", "http://[::1]:9000/x"] {
            #expect(try loopback.validate(url).absoluteString == url)
        }
        for (url, reason) in [("https://10.1.2.3/hook", "private"), ("https://169.254.169.254/latest", "link-local"),
                              ("https://[fe80::1]/", "link-local"), ("http://10.0.0.1/hook", "https")] {
            #expect {
                try loopback.validate(url)
            } throws: { error in
                (error as? WebhookURLPolicy.Rejection)?.description.contains(reason) == true
            }
        }
    }

    @Test func connectionsAreCheckedByAddress() throws {
        let strict = WebhookURLPolicy()
        let loopback = WebhookURLPolicy(allowLoopback: true)
        let local = try #require(IPAddress(bytes: [127, 0, 0, 1]))
        let metadata = try #require(IPAddress(bytes: [169, 254, 169, 254]))
        let mapped = try #require(IPAddress(literal: "::ffff:127.0.0.1"))
        #expect(strict.refusal(connectingTo: local)?.contains("loopback") == true)
        #expect(strict.refusal(connectingTo: mapped)?.contains("loopback") == true)
        #expect(loopback.refusal(connectingTo: local) == nil)
        #expect(loopback.refusal(connectingTo: mapped) == nil)
        #expect(loopback.refusal(connectingTo: metadata)?.contains("169.254.169.254 is in the link-local range") == true)
        #expect(strict.refusal(connectingTo: try #require(IPAddress(bytes: [162, 159, 128, 233]))) == nil)
    }
}
