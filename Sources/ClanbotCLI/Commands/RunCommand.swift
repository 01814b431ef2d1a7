enum RunCommand {
    static let subcommand = Subcommand(
        name: "run",
        summary: "run the bot: connect to Discord and serve the clan's commands",
        usage: """
        Usage: clanbot run [--token TOKEN] [--db PATH] [...]

        Connects to Discord and answers the clan's slash commands.
        Needs DISCORD_TOKEN (or --token).
        """
    ) { context in
        guard let token = context.configuration.discordToken, !token.isEmpty else {
            throw CommandLineError.configuration(
                "DISCORD_TOKEN is not set. Put the bot token from the Discord developer portal in DISCORD_TOKEN (or pass --token)."
            )
        }
        context.output.error(
            "clanbot run: the configuration is valid, but the Discord connection is not built yet in this version; nothing was started."
        )
        return 69
    }
}
