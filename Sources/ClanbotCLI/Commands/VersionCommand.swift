enum VersionCommand {
    static let subcommand = Subcommand(
        name: "version",
        summary: "print the version of clanbot",
        usage: "Usage: clanbot version\n\nPrints the version of this build."
    ) { context in
        context.output.print("clanbot \(CommandLineTool.version)")
        return 0
    }
}
