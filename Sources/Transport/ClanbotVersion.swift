/// clanbot's version, the one constant: `clanbot version` prints it and every User-Agent carries it (Discord's
/// REST API and gateway, the hiscores, webhooks, drand). Transport is the lowest layer that sends a User-Agent.
public enum ClanbotVersion {
    public static let current = "0.1.0"
}
