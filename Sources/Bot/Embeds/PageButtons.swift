import Discord

/// ◀ n/N ▶ under a paged board (leaderboards, clan hiscores). `id(page)` is the custom id that shows that
/// page; the middle button is disabled and only says where the reader is.
enum PageButtons {
    static func payload(_ embed: Embed, page: Int, pages: Int, id: (Int) -> String) -> MessagePayload {
        guard pages > 1 else { return MessagePayload(embeds: [embed]) }
        let buttons = [
            Button("◀", customID: id(page - 1), disabled: page == 0),
            Button("\(page + 1)/\(pages)", customID: id(page) + "|n", disabled: true),
            Button("▶", customID: id(page + 1), disabled: page >= pages - 1),
        ].compactMap { $0 }
        return MessagePayload(embeds: [embed], components: buttons.count == 3 ? [ActionRow(buttons)] : nil)
    }
}
