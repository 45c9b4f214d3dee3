public import SyncLedgerDomain

// MARK: - Reading the log ahead

extension Ledger {
    /// Events handed over at once by ``scanEventsReadAhead(_:decoding:_:)``.
    @usableFromInline static let readAheadBatchSize = 1_024
    /// Batches read ahead of the caller at most.
    @usableFromInline static let readAheadBatches = 4
    /// The reading threads, each on its own connection, taking turns by batch.
    @usableFromInline static let readAheadReaders = 2
    /// Each reading thread's page cache, in KiB. Its scan reads each page of the log once,
    /// in order, so a few pages are all it uses again (the B-tree's upper levels); a larger
    /// cache only holds pages read before, each one first written into memory touched for
    /// the first time. With ``onePassCacheKiB`` (2 MiB) a 10k-event rebuild took about 400
    /// page faults more, at every size (3,054 against 2,653 in all; each costs 1.2–1.9 µs
    /// on this machine).
    @usableFromInline static let readAheadCacheKiB = 256

    /// Calls `body` with each event of `range`, in seq order, as ``scanEvents(_:_:)`` gives
    /// it, turned into an `Event` by `decode`, both on threads of their own, each on its own
    /// connection to the ledger: SQLite's reads, the events' text and the work of reading a
    /// payload (parsing its JSON, say) run beside `body`, which folds the events before them.
    ///
    /// The ``readAheadReaders`` threads take turns by batches of ``readAheadBatchSize`` seqs
    /// (an ``InterleavedBatchHandOver``): the first reads seqs 1–1,024, the second
    /// 1,025–2,048, the first 2,049–3,072, and so on, and `body` gets them in order. A
    /// history starts with its objects' creations, whose payloads are the largest: one
    /// reader made the fold wait for them. A 10k-event rebuild took 33.8 ms against 37.0 ms
    /// with one (medians of 40 runs each, in random order), a 100k-event one 228 against 232
    /// ms (60 runs each), a 1M-event one 2.08 against 2.09 s: beyond the first batches, the
    /// fold's own thread is the slower side.
    ///
    /// Meant for a caller inside a write transaction of this ledger (a fold writing the
    /// directory state): no other writer can commit meanwhile, and the events are never
    /// changed, so the other connections read the events the caller's would. The caller's
    /// own uncommitted writes are not seen: `range` must hold committed events only. No
    /// batch is read more than ``readAheadBatches`` ahead of the one `body` has, and each
    /// batch is freed by the reading thread that allocated it. When `body` throws, the
    /// readers are stopped before the error goes on; an error `decode` throws ends the scan
    /// as a read error does (the events before it, then the error).
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
    /// `whileStarting` runs on the caller's thread once the reading threads have started,
    /// before the first batch is taken: work of the caller's own (emptying the tables a
    /// rebuild writes) overlaps the readers' first reads.
    @inlinable
    public func scanEventBatchesReadAhead<Event: Sendable>(
        _ range: EventScanRange, decoding decode: @escaping @Sendable (ScannedEvent) throws -> Event,
        whileStarting: () throws -> Void = {}, _ body: (inout [Event]) throws -> Void
    ) throws {
        let path = path
        let clock = clock
        let (readers, size) = (Self.readAheadReaders, Self.readAheadBatchSize)
        let handOver = InterleavedBatchHandOver<Event>(producers: readers, capacity: Self.readAheadBatches) { handOver, reader in
            // Opened as the file is: the caller's connection set its journal mode.
            let connection = try Ledger(path: path, mode: .existing, clock: clock, switchingToWAL: false)
            // What `decode` threw, passed on as it is (a read reports what its body throws
            // as the ledger's error).
            var decodeError: (any Error)?
            do {
                try connection.withPageCache(kib: Self.readAheadCacheKiB) {
                    try connection.scanEventBatches(range, size: Int64(size), first: reader, step: readers) { number, scan in
                        var batch: [Event] = []
                        batch.reserveCapacity(size)
                        do {
                            try scan { event in
                                let decoded: Event
                                do { decoded = try decode(event) } catch {
                                    decodeError = error
                                    throw error
                                }
                                // Moved into the batch: passed as it is, it was copied and
                                // then freed (0.1 s of a 1M-event rebuild's reading thread).
                                batch.append(consume decoded)
                            }
                        } catch let error where decodeError != nil {
                            // The events before the one that could not be decoded come
                            // through, then its error (a read error ends the scan at the
                            // batch before, as the ledger's error).
                            handOver.handLast(batch, number: number, failing: error)
                            throw error
                        }
                        try handOver.hand(batch, number: number)
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
