// Placeholder: the Autobahn|Testsuite client lands with the WebSocket client.
print("ws-conformance: not built yet")
