import CCurl

/// How the process's allocator treats the bot's many short-lived transfer threads.
public enum ProcessMemory {
    /// glibc gives every thread that allocates an arena of its own (up to 8 per core), and an arena's freed
    /// pages mostly stay mapped: after a burst of commands spread over many threads, resident memory stays
    /// near the peak. A bot that mostly waits on the network needs few. Call once, before threads start.
    public static func limitAllocatorArenas(to arenas: Int32 = 2) {
        clanbot_malloc_arena_max(arenas)
    }

    /// Hands the heap pages freed since to the system (glibc's `malloc_trim`), after a burst of work is over.
    public static func returnFreedMemory() {
        clanbot_malloc_trim()
    }
}
