public import SyncLedgerDomain

// MARK: - Reading the log ahead

extension Ledger {
    /// Events handed over at once by ``scanEventsReadAhead(_:decoding:_:)``.
    @usableFromInline static let readAheadBatchSize = 1_024
    /// Batches read ahead of the caller at most.
    @usableFromInline static let readAheadBatches = 4
    /// The reading thread's page cache, in KiB. Its scan reads each page of the log once,
    /// in order, so a few pages are all it uses again (the B-tree's upper levels); a larger
    /// cache only holds pages read before, each one first written into memory touched for
    /// the first time. With ``onePassCacheKiB`` (2 MiB) a 10k-event rebuild took about 400
    /// page faults more, at every size (3,054 against 2,653 in all; each costs 1.2–1.9 µs
    /// on this machine).
    @usableFromInline static let readAheadCacheKiB = 256

    /// Calls `body` with each event of `range`, in seq order, as ``scanEvents(_:_:)`` gives
    /// it, turned into an `Event` by `decode`, both on a thread of its own, from a second
    /// connection to the ledger: SQLite's reads, the events' text and the work of reading a
    /// payload (parsing its JSON, say) run on the other core while `body` folds the events
    /// before them.
    ///
    /// Meant for a caller inside a write transaction of this ledger (a fold writing the
    /// directory state): no other writer can commit meanwhile, and the events are never
    /// changed, so the second connection reads the events the caller's would. The
    /// caller's own uncommitted writes are not seen: `range` must hold committed events
    /// only. At most ``readAheadBatches`` batches of events wait, and the batches are freed by
    /// the reading thread, which allocated them. When `body` throws, the reader is stopped
    /// before the error goes on; an error `decode` throws ends the scan as a read error does
    /// (the events before it, then the error).
    public func scanEventsReadAhead<Event: Sendable>(
        _ range: EventScanRange, decoding decode: @escaping @Sendable (ScannedEvent) throws -> Event,
        _ body: (Event) throws -> Void
    ) throws {
        try scanEventBatchesReadAhead(range, decoding: decode) { events in
            for index in events.indices { try body(events[index]) }
        }
    }

    /// Calls `body` with the events of `range` as ``scanEventsReadAhead(_:decoding:_:)``
    /// gives them, a batch at a time, in seq order: a caller of another module steps
    /// through a batch with its own type, each event read in place (the batch is `inout`;
    /// a call per event through the generic `Event`, or an element read from an array,
    /// copied each one: 0.07–0.15 s of a 1M-event rebuild's folding thread).
    ///
    /// Inlinable, so that a caller's `Event` is built into its batch by code made for it: run
    /// through the generic `Event`, each event was copied into its batch, and each step of
    /// the batch was a call (0.1 s of a 1M-event rebuild's reading thread).
    ///
    /// `whileStarting` runs on the caller's thread once the reading thread has started, before
    /// the first batch is taken: work of the caller's own (emptying the tables a rebuild
    /// writes) overlaps the reader's first reads.
    @inlinable
    public func scanEventBatchesReadAhead<Event: Sendable>(
        _ range: EventScanRange, decoding decode: @escaping @Sendable (ScannedEvent) throws -> Event,
        whileStarting: () throws -> Void = {}, _ body: (inout [Event]) throws -> Void
    ) throws {
        let path = path
        let clock = clock
        let handOver = BatchHandOver<Event>(capacity: Self.readAheadBatches) { handOver in
            // Opened as the file is: the caller's connection set its journal mode.
            let reader = try Ledger(path: path, mode: .existing, clock: clock, switchingToWAL: false)
            // What `decode` threw, passed on as it is (a read reports what its body throws
            // as the ledger's error).
            var decodeError: (any Error)?
            do {
                try reader.withPageCache(kib: Self.readAheadCacheKiB) {
                    try handOver.handInBatches(of: Self.readAheadBatchSize) { add in
                        try reader.scanEvents(range) { event in
                            let decoded: Event
                            do { decoded = try decode(event) } catch {
                                decodeError = error
                                throw error
                            }
                            // Moved into the batch: passed as it is, it was copied and then
                            // freed (0.1 s of a 1M-event rebuild's reading thread).
                            try add(consume decoded)
                        }
                    }
                }
            } catch {
                throw decodeError ?? error
            }
        }
        defer { handOver.stop() }
        try whileStarting()
        while var batch = try handOver.next() {
            try body(&batch)
            handOver.retire(consume batch)
        }
    }
}
