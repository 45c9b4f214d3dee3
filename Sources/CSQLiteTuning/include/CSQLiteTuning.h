// SQLite's process-wide settings that Swift cannot set: sqlite3_config is variadic.
#ifndef CSQLITETUNING_H
#define CSQLITETUNING_H

#include <sqlite3.h>

/// Turns off SQLite's memory statistics; returns SQLite's result code (SQLITE_MISUSE once
/// SQLite is initialized: it must run before the process's first connection). With them
/// on, every allocation and free SQLite makes takes one process-wide mutex to count it.
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/// Sets the size, in bytes, up to which a statement journal is held in memory, in one buffer,
/// before SQLite moves it to a temporary file; returns SQLite's result code (SQLITE_MISUSE
/// once SQLite is initialized).
static inline int csqlite_set_statement_journal_spill(int bytes) {
    return sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes);
}

#endif
