import Foundation
import TestSupport
import Transport

/// Receive throughput of the WebSocket client over TLS on loopback. The in-process test server
/// pre-encodes one frame and writes it repeatedly, so the figure is dominated by the client:
/// TLS decryption, frame decoding and handing messages to `receive()`.
let webSocketBenchmark = Benchmark(
    name: "websocket",
    summary: "messages/s and MB/s received through TLS on loopback, 1 KB and 64 KB messages"
) {
    let server = try WebSocketTestServer(tls: true) { connection in
        while true {
            // "SIZE COUNT": send COUNT binary messages of SIZE bytes.
            let command = try connection.receiveText(timeout: .seconds(120)).split(separator: " ").compactMap { Int($0) }
            guard command.count == 2 else { return }
            let frame = WebSocketFrameEncoder.encode(opcode: WebSocketOpcode.binary.rawValue, payload: [UInt8](repeating: 0x5A, count: command[0]), maskingKey: nil)
            for _ in 0..<command[1] { try connection.sendRaw(frame) }
        }
    }
    defer { server.stop() }
    let options = WebSocketOptions(maximumMessageSize: 1 << 20, tls: TLSOptions(additionalCAFile: server.caFilePath))
    let client = try await WebSocketClient.connect(to: server.url, options: options)

    for (size, count, label) in [(1024, 200_000, "1 KB"), (64 * 1024, 8_000, "64 KB")] {
        // Warm-up round, then the measured one.
        for round in 0..<2 {
            let messages = round == 0 ? count / 10 : count
            let start = DispatchTime.now().uptimeNanoseconds
            try await client.send(text: "\(size) \(messages)")
            var bytes = 0
            for _ in 0..<messages {
                if case .binary(let payload) = try await client.receive() { bytes += payload.count }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            guard round == 1 else { continue }
            guard bytes == size * messages else { throw WebSocketError.connectionLost("received \(bytes) bytes, expected \(size * messages)") }
            report("\(label) messages received (TLS, loopback)", Double(messages) / seconds, "msg/s")
            report("\(label) messages throughput", Double(bytes) / seconds / 1_000_000, "MB/s")
        }
    }
    await client.close()
}
