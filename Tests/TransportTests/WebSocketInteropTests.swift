import Foundation
import Testing
import TestSupport
import Transport

/// Python's `websockets` server (an independent RFC 6455 implementation), installed with pip when missing.
enum PythonWebSockets {
    static let python = "/usr/bin/env"

    /// True when `import websockets` works, installing the package first if needed.
    static let available: Bool = {
        if run(["python3", "-c", "import websockets"]) == 0 { return true }
        _ = run(["python3", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "websockets"])
        return run(["python3", "-c", "import websockets"]) == 0
    }()

    // Evaluated once, when the test plan is built; `deploy/dev test` installs websockets beforehand so
    // this is a quick import check, not a pip run on Swift's cooperative threads.
    static func run(_ arguments: [String]) -> Int32 {
        (try? ChildProcess.runBlocking(arguments))?.status ?? -1
    }

    /// Echoes every message; "close me" makes the server close with 4001 "bye".
    static let echoServerScript = """
        import asyncio, os, signal, sys, threading
        # The Swift test process spawns us with most signals blocked; unblock so SIGTERM works.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        # Exit when the test closes our stdin (or dies), so no server outlives its test.
        def watch_parent():
            sys.stdin.read()
            os._exit(0)
        threading.Thread(target=watch_parent, daemon=True).start()
        try:
            from websockets.asyncio.server import serve
        except ImportError:
            from websockets import serve

        async def echo(ws):
            async for message in ws:
                if message == "close me":
                    await ws.close(4001, "bye")
                    return
                await ws.send(message)

        async def main():
            async with serve(echo, "127.0.0.1", 0, max_size=None) as server:
                print(server.sockets[0].getsockname()[1], flush=True)
                await asyncio.get_running_loop().create_future()

        asyncio.run(main())
        """

    /// A running echo server; `stop()` ends it (closing its stdin is enough even if signals fail).
    final class Server {
        let process: Process
        let stdin: Pipe
        let port: UInt16

        init(process: Process, stdin: Pipe, port: UInt16) {
            self.process = process
            self.stdin = stdin
            self.port = port
        }

        func stop() {
            try? stdin.fileHandleForWriting.close()
            if process.isRunning { process.terminate() }
            // Reap the child on a thread of its own: blocking here would hold a cooperative thread.
            let process = self.process
            Thread { process.waitUntilExit() }.start()
        }
    }

    /// Starts the echo server on a free port (waiting for its port line off the cooperative pool).
    static func startEchoServer() async throws -> Server {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try startEchoServerBlocking() }) }.start()
        }
    }

    private static func startEchoServerBlocking() throws -> Server {
        let files = try TemporaryDirectory("interop")
        let script = URL(fileURLWithPath: try files.write("echo_server.py", echoServerScript))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["python3", script.path]
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = UInt16(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            try? input.fileHandleForWriting.close()
            process.terminate()
            throw WebSocketError.connectionLost("the Python echo server did not report its port")
        }
        return Server(process: process, stdin: input, port: port)
    }
}

@Suite(.serialized) struct WebSocketInteropTests {
    @Test(.enabled(if: PythonWebSockets.available, "Python `websockets` is not installed and pip could not reach the registry to install it"))
    func talksToPythonWebsocketsServer() async throws {
        let server = try await PythonWebSockets.startEchoServer()
        defer { server.stop() }
        let url = try #require(URL(string: "ws://127.0.0.1:\(server.port)/"))
        let client = try await WebSocketClient.connect(to: url, options: WebSocketOptions(connectTimeout: .seconds(10)))
        try await client.send(text: "hello from Swift ✓")
        #expect(try await client.receive() == .text("hello from Swift ✓"))
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try await client.send(binary: big)
        #expect(try await client.receive() == .binary(big))
        try await client.sendPing(Array("ping".utf8))
        try await client.send(text: "close me")
        let error = await #expect(throws: WebSocketError.self) { try await client.receive() }
        #expect(error == .closed(serverClose: WebSocketCloseFrame(code: 4001, reason: "bye"), initiatedByClient: false))
    }

    @Test(.enabled(if: PythonWebSockets.available, "Python `websockets` is not installed and pip could not reach the registry to install it"))
    func clientInitiatedCloseWithPythonServer() async throws {
        let server = try await PythonWebSockets.startEchoServer()
        defer { server.stop() }
        let url = try #require(URL(string: "ws://127.0.0.1:\(server.port)/"))
        let client = try await WebSocketClient.connect(to: url)
        try await client.send(text: "one")
        #expect(try await client.receive() == .text("one"))
        await client.close(code: 1000, reason: "done")
        #expect(client.endReason == .closed(serverClose: WebSocketCloseFrame(code: 1000, reason: "done"), initiatedByClient: true))
    }
}
