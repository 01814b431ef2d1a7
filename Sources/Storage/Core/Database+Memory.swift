import CSQLite

extension Database {
    /// Bytes of heap the connection's page cache holds now (SQLITE_DBSTATUS_CACHE_USED).
    var pageCacheBytes: Int {
        guard let connection = try? handle() else { return 0 }
        var current: Int32 = 0
        var highest: Int32 = 0
        sqlite3_db_status(connection, SQLITE_DBSTATUS_CACHE_USED, &current, &highest, 0)
        return Int(current)
    }

    /// Hands back the heap the connection keeps between statements: the page cache (up to `cache_size`, 2 MB by
    /// default) stays full after a burst of reads although nothing reads it until the next one. Pages are read
    /// again from the file (the OS's cache) when needed. Call outside a transaction, when the bot has gone quiet.
    public func releaseMemory() {
        guard let connection = try? handle() else { return }
        sqlite3_db_release_memory(connection)
    }
}
