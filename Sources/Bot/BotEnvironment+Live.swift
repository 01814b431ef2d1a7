import Domain
import Foundation
import Hiscores
import Services
import Storage
import Transport

extension BotEnvironment {
    /// The bot of `clanbot run` over an open database: hiscores at `hiscoresBase`, webhooks (https only), contests
    /// with the drand relay at `drandBase`. Call `connectAnnouncements()` once before serving.
    public static func live(store: Store, hiscoresBase: String, drandBase: String, drandPublicKey: DrandPublicKey = .quicknet, caFile: String?,
                            log: @escaping @Sendable (String) -> Void) throws -> BotEnvironment {
        let hiscoresHTTP = try HTTPClient(configuration: .init(caFile: caFile, maxConcurrentTransfers: 4))
        let hiscores = HiscoresClient(http: hiscoresHTTP, rateLimiter: Hiscores.RateLimiter(requestsPerSecond: ClanbotServices.defaultRequestsPerSecond),
                                      configuration: .init(baseURL: hiscoresBase))
        let services = ClanbotServices(store: store, hiscores: hiscores, log: log)
        // Webhooks and drand get their own client: a slow receiver must not hold up hiscores fetches.
        let outbound = try HTTPClient(configuration: .init(timeout: .seconds(15), caFile: caFile))
        let webhooks = WebhookService(store: store, delivery: WebhookDelivery(http: outbound))
        let contests = ContestService(store: store, http: outbound, drandBase: drandBase,
                                      configuration: .init(drandPublicKey: drandPublicKey))
        return BotEnvironment(services: services, webhooks: webhooks, contests: contests, log: log)
    }
}
