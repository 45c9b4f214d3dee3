import Foundation
import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

/// Hostile input for every importer: seeded mutations of valid documents, and the corpus of
/// inputs that once broke an importer (`Tools/fuzz-corpus/<format>/`).
///
/// Always on: a few hundred inputs per format. `Tools/fuzz.sh SECONDS` runs it for a time
/// budget (`$SYNCLEDGER_FUZZ_SECONDS`) from a chosen seed (`$SYNCLEDGER_FUZZ_SEED`).
@Suite("Fuzzing the importers")
struct FuzzTests {
    /// One importer under attack.
    struct Target: Sendable, CustomStringConvertible {
        var name: String
        var seeds: [String]
        var dictionary: [String]
        var description: String { name }
    }

    static let targets: [Target] = [
        Target(
            name: "ndjson", seeds: [NDJSONIngestTests.goodLines],
            dictionary: ["\"type\"", "\"object\"", "\"data\"", "\"at\"", "\"expected_version\"", "user:", "group:", "tenant", "\"attributes\"", "\"set\"", "\"unset\""]),
        Target(
            name: "csv", seeds: [CSVImportTests.hrExport, GraphDeltaImportTests.users],
            dictionary: ["anchor", "Email", "Manager", "Status", "x-", "\"\"", "\"", ",", "\r\n", ";", "=cmd|' /C calc'!A0", "inactive"]),
        Target(
            name: "scim", seeds: [SCIMImportTests.babs, #"{"method":"PATCH","path":"/Users/QUFB","body":{"Operations":[{"op":"replace","path":"emails[type eq \"work\"].value","value":"x@contoso.example"}]}}"#],
            dictionary: ["\"Operations\"", "\"op\"", "\"path\"", "[type eq \"work\"]", "members[value eq \"", "\"Resources\"", "\"externalId\"", "\"active\"", "urn:ietf:params:scim:schemas:core:2.0:User:"]),
        Target(
            name: "ldif", seeds: [LDIFImportTests.export],
            dictionary: ["dn: ", "dn:: ", "changetype: modify", "changetype: modrdn", "replace: ", "delete: ", "-\n", "\n ", "objectGUID:: ", "member: ", "::", ":<", "userAccountControl: 514", "\n\n"]),
        Target(
            name: "graph-delta", seeds: [GraphDeltaImportTests.page],
            dictionary: ["\"@removed\"", "{\"reason\":\"deleted\"}", "\"value\"", "\"onPremisesImmutableId\"", "\"accountEnabled\"", "\"@odata.nextLink\"", "null"]),
    ]

    /// The importer for a target's name.
    static func importer(_ name: String) -> any DirectoryImporter {
        switch name {
        case "csv": return CSVImporter(kind: .users)
        case "scim": return SCIMImporter()
        case "ldif": return LDIFImporter()
        default: return GraphDeltaImporter()
        }
    }

    static let corpusRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tools/fuzz-corpus")

    /// A ledger holding the objects the seeds refer to, so that inputs get past "unknown
    /// object" into the deeper code; every run is a dry run, so it never changes.
    final class Bench {
        let bench: ImportBench
        let work: String
        private(set) var executions = 0
        private(set) var rejected = 0
        private(set) var slowest: Double = 0

        init() throws {
            bench = try ImportBench()
            try bench.ledger.append { session in try session.append(Fixtures.tenantInitialized(mode: "universal-sync")) }
            try bench.run(CSVImporter(kind: .users), "base.csv", GraphDeltaImportTests.users)
            try bench.run(SCIMImporter(), "babs.json", SCIMImportTests.babs)
            work = ProcessInfo.processInfo.environment["SYNCLEDGER_FUZZ_WORK"] ?? bench.directory.path
        }

        /// Runs one input; returns a description of the failure, or nil when the importer
        /// accepted it or rejected it with a typed error, in time.
        func attack(_ target: String, _ bytes: [UInt8]) -> String? {
            // The input stays on disk under a fixed name: after a crash, Tools/fuzz.sh keeps it.
            let path = "\(work)/current-\(target).input"
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let ingestor = EventIngestor(ledger: bench.ledger, defaults: bench.defaults)
            let start = DispatchTime.now().uptimeNanoseconds
            defer {
                executions += 1
                slowest = max(slowest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            do {
                if target == "ndjson" {
                    _ = try ingestor.ingestNDJSON(paths: [path], dryRun: true)
                } else {
                    _ = try ingestor.ingest(paths: [path], importer: FuzzTests.importer(target), dryRun: true)
                }
            } catch let error as IngestError {
                rejected += 1
                if error.code == .unreadableFile { return "unreadable-file on a readable file: \(error)" }
                if error.description.isEmpty { return "an empty message" }
            } catch let error as DomainError {
                rejected += 1
                if error.message.isEmpty { return "an empty message" }
            } catch {
                return "an untyped error: \(type(of: error)): \(error)"
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if seconds > 5 { return "took \(seconds) s" }
            return nil
        }
    }

    /// Keeps a failing input in the corpus so that it becomes a regression test.
    static func keep(_ bytes: [UInt8], target: String, seed: UInt64, index: Int) -> String {
        let folder = corpusRoot.appendingPathComponent(target)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("found-\(seed)-\(index).input")
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(bytes))
        return file.path
    }

    @Test("mutated inputs never crash, hang or throw an untyped error", arguments: targets)
    func mutations(target: Target) throws {
        let environment = ProcessInfo.processInfo.environment
        let budget = environment["SYNCLEDGER_FUZZ_SECONDS"].flatMap(Double.init)
        let seed = environment["SYNCLEDGER_FUZZ_SEED"].flatMap(UInt64.init) ?? 9
        let bench = try Bench()
        var mutator = Mutator(seed: seed &+ UInt64(target.name.utf8.count), seeds: target.seeds, dictionary: target.dictionary)
        let start = DispatchTime.now().uptimeNanoseconds
        var index = 0
        while true {
            if let budget {
                // The budget is shared by the five targets, which run in parallel.
                if Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 > budget { break }
            } else if index >= 150 {
                break
            }
            let input = mutator.next()
            if let failure = bench.attack(target.name, input) {
                let kept = Self.keep(input, target: target.name, seed: seed, index: index)
                Issue.record("\(target.name) input \(index) (seed \(seed)): \(failure); kept as \(kept)")
            }
            index += 1
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(
            "fuzz \(target.name): \(bench.executions) executions in \(String(format: "%.1f", seconds)) s, \(bench.rejected) rejected with a typed error, slowest \(String(format: "%.3f", bench.slowest)) s"
        )
    }

    @Test("the corpus of once-failing inputs stays fixed", arguments: targets)
    func corpus(target: Target) throws {
        let bench = try Bench()
        let folder = Self.corpusRoot.appendingPathComponent(target.name)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for file in files.sorted() {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(file)))
            if let failure = bench.attack(target.name, bytes) { Issue.record("\(target.name)/\(file): \(failure)") }
        }
    }
}
