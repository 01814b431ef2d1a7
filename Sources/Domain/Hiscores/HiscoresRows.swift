/// The rows the game serves in `index_lite.json`, in its order (late 2025: 25 skills with Sailing, 88 activities).
/// Rows are matched by name everywhere; this list is for building choices (Discord options, fixtures)
/// and lets the parser reuse these strings instead of allocating new ones. New rows the game adds are
/// still parsed and kept when they are missing here.
public enum HiscoresRows {
    public static let skillNames: [String] = [
        "Overall", "Attack", "Defence", "Strength", "Hitpoints", "Ranged", "Prayer", "Magic", "Cooking",
        "Woodcutting", "Fletching", "Fishing", "Firemaking", "Crafting", "Smithing", "Mining", "Herblore",
        "Agility", "Thieving", "Slayer", "Farming", "Runecraft", "Hunter", "Construction", "Sailing",
    ]

    public static let activityNames: [String] = [
        "Grid Points", "League Points", "Deadman Points", "Bounty Hunter - Hunter", "Bounty Hunter - Rogue",
        "Bounty Hunter (Legacy) - Hunter", "Bounty Hunter (Legacy) - Rogue", "Clue Scrolls (all)",
        "Clue Scrolls (beginner)", "Clue Scrolls (easy)", "Clue Scrolls (medium)", "Clue Scrolls (hard)",
        "Clue Scrolls (elite)", "Clue Scrolls (master)", "LMS - Rank", "PvP Arena - Rank", "Soul Wars Zeal",
        "Rifts closed", "Colosseum Glory", "Collections Logged", "Abyssal Sire", "Alchemical Hydra", "Amoxliatl",
        "Araxxor", "Artio", "Barrows Chests", "Bryophyta", "Callisto", "Calvar'ion", "Cerberus",
        "Chambers of Xeric", "Chambers of Xeric: Challenge Mode", "Chaos Elemental", "Chaos Fanatic",
        "Commander Zilyana", "Corporeal Beast", "Crazy Archaeologist", "Dagannoth Prime", "Dagannoth Rex",
        "Dagannoth Supreme", "Deranged Archaeologist", "Doom of Mokhaiotl", "Duke Sucellus", "General Graardor",
        "Giant Mole", "Grotesque Guardians", "Hespori", "Kalphite Queen", "King Black Dragon", "Kraken",
        "Kree'Arra", "K'ril Tsutsaroth", "Lunar Chests", "Mimic", "Nex", "Nightmare", "Phosani's Nightmare",
        "Obor", "Phantom Muspah", "Sarachnis", "Scorpia", "Scurrius", "Shellbane Gryphon", "Skotizo",
        "Sol Heredit", "Spindel", "Tempoross", "The Gauntlet", "The Corrupted Gauntlet", "The Hueycoatl",
        "The Leviathan", "The Royal Titans", "The Whisperer", "Theatre of Blood", "Theatre of Blood: Hard Mode",
        "Thermonuclear Smoke Devil", "Tombs of Amascut", "Tombs of Amascut: Expert Mode", "TzKal-Zuk",
        "TzTok-Jad", "Vardorvis", "Venenatis", "Vet'ion", "Vorkath", "Wintertodt", "Yama", "Zalcano", "Zulrah",
    ]
}
