#ifndef CLANBOT_CSQLITE_SHIM_H
#define CLANBOT_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro Swift cannot import: tell SQLite to copy bound text/blobs. */
static inline sqlite3_destructor_type clanbot_sqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
