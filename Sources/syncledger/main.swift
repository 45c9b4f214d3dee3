import ArgumentParser
import SyncLedgerCLI

#if os(Linux)
import CGlibcMalloc

// Work spread over the cores (views of the past decode and render on every core) allocates
// from glibc's per-thread arenas, which grow by mprotect a little at a time and shrink as soon
// as memory is freed. Growing them 64 MiB at a time took a tenth of the time off a
// 100,000-user view; pages count as memory only once touched.
mallopt(M_TOP_PAD, 64 << 20)
#endif

SyncLedgerCommand.main()
