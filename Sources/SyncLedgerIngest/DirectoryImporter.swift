/// An input format that turns files into directory changes: CSV snapshots, SCIM, LDIF,
/// Microsoft Graph delta pages.
///
/// An importer never appends by itself: it tells the ``ImportContext`` what the directory
/// should look like (``ImportContext/reconcile(_:subtype:desired:)``, memberships, lifecycle),
/// and the context diffs that against the current state, appends only the changes through the
/// invocation's single `AppendSession` and places every error at the file, line (or record)
/// and field. ``EventIngestor/ingest(paths:importer:dryRun:)`` runs an importer.
public protocol DirectoryImporter {
    /// Reads one file (`-` is standard input) and records its changes in `context`.
    ///
    /// Set ``ImportContext/line`` (and ``ImportContext/fieldNames``) before each record so that
    /// errors name the place.
    mutating func read(_ path: String, into context: ImportContext) throws

    /// Called once after every file has been read (e.g. `--full`: deactivate what was absent).
    mutating func finish(into context: ImportContext) throws
}

extension DirectoryImporter {
    public mutating func finish(into context: ImportContext) throws {}
}
