import Foundation

/// INTERACTION_CREATE payloads shaped like the ones Discord sends (ids, tokens and names are made up),
/// shared by the Discord tests, the fake gateway and the decoding benchmark.
public enum InteractionFixtures {
    /// `/contest draw name:<name> winners:<n>` in a guild, with a subcommand group, the invoking member and its permissions.
    public static func slashCommand(sequence: Int = 42, interactionID: String = "1181390740425834567", token: String = "aW50ZXJhY3Rpb246MTE4MTM5MDc0MDQyNTgzNDU2Nzp0b2tlbg", contestName: String = "Summer XP race") -> String {
        """
        {"op":0,"s":\(sequence),"t":"INTERACTION_CREATE","d":{
          "app_permissions":"562949953421311","application_id":"1094880612145422336",
          "authorizing_integration_owners":{"0":"1094880612145422336"},
          "channel":{"flags":0,"guild_id":"1094880690000000000","id":"1094880690000000001","last_message_id":"1181390000000000000","name":"clan-chat","nsfw":false,"parent_id":null,"permissions":"562949953421311","position":0,"rate_limit_per_user":0,"topic":null,"type":0},
          "channel_id":"1094880690000000001","context":0,
          "data":{"guild_id":"1094880690000000000","id":"1181380000000000000","name":"contest","type":1,
            "options":[{"name":"admin","type":2,"options":[{"name":"draw","type":1,"options":[
              {"name":"name","type":3,"value":"\(contestName)"},
              {"name":"winners","type":4,"value":3},
              {"name":"weight","type":10,"value":1.5},
              {"name":"announce","type":5,"value":true},
              {"name":"host","type":6,"value":"80351110224678912"},
              {"name":"channel","type":7,"value":"1094880690000000001"},
              {"name":"role","type":8,"value":"1094880690000000002"},
              {"name":"who","type":9,"value":"80351110224678912"},
              {"name":"proof","type":11,"value":"1181390000000000099"}]}]}],
            "resolved":{
              "users":{"80351110224678912":{"avatar":"a_d5efa99b3eeaa7dd43acca82f5692432","discriminator":"0","global_name":"Zezima","id":"80351110224678912","public_flags":0,"username":"zezima"}},
              "members":{"80351110224678912":{"avatar":null,"flags":0,"joined_at":"2023-04-10T19:21:42.372000+00:00","nick":null,"pending":false,"permissions":"2248473465835073","roles":[],"communication_disabled_until":null}},
              "roles":{"1094880690000000002":{"color":0,"flags":0,"hoist":false,"id":"1094880690000000002","managed":false,"mentionable":false,"name":"Raiders","permissions":"0","position":1}},
              "channels":{"1094880690000000001":{"flags":0,"id":"1094880690000000001","name":"clan-chat","parent_id":null,"permissions":"562949953421311","type":0}},
              "attachments":{"1181390000000000099":{"content_type":"image/png","filename":"proof.png","id":"1181390000000000099","proxy_url":"https://media.example/proof.png","size":48213,"url":"https://cdn.example/proof.png"}}}},
          "entitlement_sku_ids":[],"entitlements":[],"guild":{"features":[],"id":"1094880690000000000","locale":"en-US"},
          "guild_id":"1094880690000000000","guild_locale":"en-US","id":"\(interactionID)","locale":"en-GB",
          "member":{"avatar":null,"communication_disabled_until":null,"deaf":false,"flags":0,"joined_at":"2023-04-10T19:21:42.372000+00:00","mute":false,"nick":"Clan Leader","pending":false,"permissions":"2251799813685247","premium_since":null,"roles":["1094880690000000002"],"unusual_dm_activity_until":null,
            "user":{"avatar":null,"avatar_decoration_data":null,"clan":null,"discriminator":"0","global_name":"Lead","id":"1094880000000000007","public_flags":0,"username":"leader"}},
          "token":"\(token)","type":2,"version":1}}
        """
    }

    /// The guild and application the fixtures' interactions come from.
    public static let guildID = "1094880690000000000"
    public static let applicationID = "1094880612145422336"

    /// `/name option:value …` typed by an ordinary member in the fixtures' guild; `options` are string
    /// options (what /leaderboard, /stats, /gains, /records and /hiscores take).
    public static func command(_ name: String, options: [(String, String)] = [], sequence: Int, interactionID: String, token: String,
                               userID: String = "1094880000000000042") -> String {
        let encoded = options.map { name, value in
            #"{"name":\#(jsonString(name)),"type":3,"value":\#(jsonString(value))}"#
        }.joined(separator: ",")
        return """
            {"op":0,"s":\(sequence),"t":"INTERACTION_CREATE","d":{"application_id":"\(applicationID)","app_permissions":"562949953421311",
             "channel_id":"1094880690000000001","guild_id":"\(guildID)","guild_locale":"en-US","locale":"en-GB","id":"\(interactionID)",
             "member":{"user":{"id":"\(userID)","username":"member","global_name":null,"discriminator":"0"},"roles":[],"permissions":"1024","nick":null},
             "data":{"id":"1181380000000000001","name":"\(name)","type":1,"guild_id":"\(guildID)","options":[\(encoded)]},
             "token":"\(token)","type":2,"version":1}}
            """
    }

    private static func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(decoding: data, as: UTF8.self).dropFirst().dropLast().description
    }

    /// Autocomplete on `/leaderboard skill:` while the user has typed "att" (type 4, focused option).
    public static let autocomplete = """
        {"op":0,"s":7,"t":"INTERACTION_CREATE","d":{"application_id":"1094880612145422336","channel_id":"1","guild_id":"2","id":"1181390740425834999",
         "member":{"user":{"id":"3","username":"member"},"roles":[],"permissions":"1024"},
         "data":{"id":"4","name":"leaderboard","type":1,"options":[{"name":"skill","type":3,"value":"att","focused":true},{"name":"top","type":4,"value":"1","focused":false}]},
         "token":"tok-autocomplete","type":4,"version":1}}
        """

    /// A button press in a DM (user instead of member).
    public static let buttonPress = """
        {"op":0,"s":8,"t":"INTERACTION_CREATE","d":{"application_id":"1094880612145422336","channel_id":"5","id":"1181390740425835000",
         "user":{"id":"6","username":"dm-user","global_name":null},
         "message":{"id":"1181390740425830000","channel_id":"5","content":"page 1","flags":0},
         "data":{"custom_id":"leaderboard:page:2","component_type":2},
         "token":"tok-button","type":3,"version":1}}
        """
}
