import Discord
import Domain
import Services
import Synchronization

/// The clans in which the invoker of one interaction passed an officer's check (`CommandRequest.require`). After
/// the handler answered, the router tells them, once, when the bot cannot post in that clan's announcements channel
/// (`AnnouncementService.untoldRefusal` notes it as told), so officers hear of a missing permission from the next
/// command they run instead of discovering an empty channel. `/announce show` keeps showing it.
final class OfficerClans: Sendable {
    private let clans = Mutex<[(id: Int64, name: String)]>([])

    func note(_ clan: Clan) {
        clans.withLock { clans in
            if !clans.contains(where: { $0.id == clan.id }) { clans.append((clan.id, clan.name)) }
        }
    }

    var noted: [(id: Int64, name: String)] { clans.withLock { $0 } }
}

extension CommandRequest {
    /// Follows the reply with the notice of each clan whose officers were not told yet (private, once per clan).
    func tellOfficersOfRefusedChannels() async {
        let clans = officerClans.noted
        guard !clans.isEmpty, await responder.stage != .pending else { return }
        for clan in clans {
            guard let notice = try? await env.services.announcements.untoldRefusal(clanID: clan.id, now: env.clock()) else { continue }
            let message = MessagePayload(content: "⚠️ **Announcements of \(clan.name) are not being posted.** " + notice, ephemeral: true)
            try? await responder.followUp(message)
        }
    }
}
