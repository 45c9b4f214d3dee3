import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerStore

// MARK: - Running an importer

extension EventIngestor {
    /// Imports `paths` with `importer`, all or nothing, like ``ingestNDJSON(paths:dryRun:)``
    /// (a bulk load as it is, ``isBulkLoad(_:)``).
    ///
    /// The directory state is read once (the projection, caught up) and then kept current in
    /// memory as events are appended, so later records and files of the same invocation see the
    /// changes of earlier ones. Every event names the stream version it expects, so a writer
    /// that appends between the read and the write makes the import fail with a conflict
    /// instead of appending a diff computed against stale state. The domain's rules check every
    /// event; the first refusal rolls back everything and names the file, line and field.
    public func ingest(paths: [String], importer: some DirectoryImporter, dryRun: Bool = false) throws -> ImportSummary {
        let snapshot = try DirectoryProjector(ledger: ledger).snapshot(at: .now)
        var importer = importer
        let defaults = defaults
        let bulk = !dryRun && isBulkLoad(paths)
        var summary = try ledger.append(dryRun: dryRun, leavingWAL: !bulk, bulk: bulk) { session in
            let context = ImportContext(session: session, objects: snapshot.objects, defaults: defaults)
            for path in paths {
                context.begin(file: path)
                try importer.read(path, into: context)
            }
            try context.flushDeferred()
            context.begin(file: paths.last ?? "-")
            try importer.finish(into: context)
            return context.summary
        }
        summary.dryRun = dryRun
        if !dryRun { try catchUp(leftInWAL: bulk ? 0 : summary.appended) }
        return summary
    }
}
