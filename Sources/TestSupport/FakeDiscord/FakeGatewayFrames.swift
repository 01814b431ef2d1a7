/// The frames a fake gateway sends, as Discord writes them; shared by the socket fake and the in-memory one.
public enum FakeGatewayFrames {
    public static func hello(heartbeatInterval milliseconds: Int) -> String {
        #"{"op":10,"d":{"heartbeat_interval":\#(milliseconds)},"s":null,"t":null}"#
    }

    public static func ready(sessionID: String, resumeURL: String, sequence: Int, shard: [Int], username: String) -> String {
        let d = #"{"v":10,"session_id":"\#(sessionID)","resume_gateway_url":"\#(resumeURL)","user":{"id":"1094880612145422336","username":"\#(username)","bot":true},"application":{"id":"1094880612145422336","flags":0},"guilds":[],"shard":[\#(shard[0]),\#(shard[1])]}"#
        return dispatch("READY", sequence: sequence, data: d)
    }

    public static func resumed(sequence: Int) -> String { dispatch("RESUMED", sequence: sequence, data: "{}") }

    public static func dispatch(_ name: String, sequence: Int, data: String) -> String {
        #"{"op":0,"s":\#(sequence),"t":"\#(name)","d":\#(data)}"#
    }

    public static let heartbeatRequest = #"{"op":1,"d":null}"#
    public static let reconnect = #"{"op":7,"d":null}"#
    public static func invalidSession(resumable: Bool) -> String { #"{"op":9,"d":\#(resumable)}"# }
    public static let heartbeatAck = #"{"op":11}"#
}
