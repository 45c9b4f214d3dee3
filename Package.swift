// swift-tools-version:6.1
import PackageDescription

/// One strictness block for every target, as swift-log does.
let strictness: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "syncledger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "syncledger", targets: ["syncledger"]),
        .library(name: "SyncLedgerDomain", targets: ["SyncLedgerDomain"]),
        .library(name: "SyncLedgerStore", targets: ["SyncLedgerStore"]),
        .library(name: "SyncLedgerIngest", targets: ["SyncLedgerIngest"]),
        .library(name: "SyncLedgerProjection", targets: ["SyncLedgerProjection"]),
        .library(name: "SyncLedgerReplay", targets: ["SyncLedgerReplay"]),
        .library(name: "SyncLedgerSimulator", targets: ["SyncLedgerSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // MARK: - Library modules (arrows point down: CLI -> engines -> Store -> Domain)

        /// Pure rules and value types: events, objects, attributes, modes. No I/O.
        .target(
            name: "SyncLedgerDomain",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        /// The only module that talks to SQLite. Its schema lives in Migrations/.
        .target(
            name: "SyncLedgerStore",
            dependencies: [
                "SyncLedgerDomain",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The C API, for the fold's event scan (one row cursor without per-row objects).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                "CSQLiteTuning",
            ]
        ),
        /// Input formats turned into proposed events.
        .target(
            name: "SyncLedgerIngest",
            dependencies: [
                "SyncLedgerDomain",
                "SyncLedgerStore",
                "SyncLedgerProjection",
                .target(name: "CGlibcMalloc", condition: .when(platforms: [.linux])),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        /// Folds the log into the directory state and the target state of each mode.
        .target(
            name: "SyncLedgerProjection",
            dependencies: [
                "SyncLedgerDomain",
                "SyncLedgerStore",
                .target(name: "CGlibcMalloc", condition: .when(platforms: [.linux])),
            ]
        ),
        /// Plans, emits and journals the Office 365 commands; records their results.
        .target(
            name: "SyncLedgerReplay",
            dependencies: [
                "SyncLedgerDomain",
                "SyncLedgerStore",
                "SyncLedgerProjection",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        /// Who changed what: the audit trail and the reports.
        .target(
            name: "SyncLedgerAudit",
            dependencies: ["SyncLedgerDomain", "SyncLedgerStore", "SyncLedgerProjection", "SyncLedgerReplay"]
        ),
        /// An in-memory Office 365 that runs emitted files, for tests and the demo (as swift-nio
        /// ships NIOEmbedded). Never a target for real commands.
        .target(
            name: "SyncLedgerSimulator",
            dependencies: ["SyncLedgerDomain", "SyncLedgerReplay"]
        ),
        /// The generator of realistic tenant histories, for the demo and the benchmarks.
        .target(
            name: "SyncLedgerGenerator",
            dependencies: ["SyncLedgerDomain"],
            path: "Tools/SyncLedgerGenerator"
        ),
        /// The commands of the `syncledger` tool; `run()` only calls the libraries.
        .target(
            name: "SyncLedgerCLI",
            dependencies: [
                "SyncLedgerDomain",
                "SyncLedgerStore",
                "SyncLedgerIngest",
                "SyncLedgerProjection",
                "SyncLedgerReplay",
                "SyncLedgerSimulator",
                "SyncLedgerAudit",
                "SyncLedgerGenerator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "syncledger",
            dependencies: [
                "SyncLedgerCLI",
                .target(name: "CGlibcMalloc", condition: .when(platforms: [.linux])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// glibc's `mallopt` and `malloc_trim`, which the Glibc module does not import (the tool
        /// tunes its arenas; an ingest hands back what its append freed before the fold, a
        /// fold what its objects held before SQLite builds the indexes).
        .target(name: "CGlibcMalloc"),
        /// SQLite's process-wide settings (`sqlite3_config`, which Swift cannot call): its
        /// memory statistics off, set by the Store before its first connection.
        .target(name: "CSQLiteTuning", dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")]),

        // MARK: - Tests mirror the modules

        /// Fixtures shared by the test targets: temporary ledgers, sample events, running the binary.
        .target(
            name: "SyncLedgerTestSupport",
            dependencies: ["SyncLedgerDomain", "SyncLedgerStore"],
            path: "Tests/SyncLedgerTestSupport"
        ),
        .testTarget(name: "SyncLedgerDomainTests", dependencies: ["SyncLedgerDomain"]),
        .testTarget(
            name: "SyncLedgerStoreTests",
            dependencies: ["SyncLedgerStore", "SyncLedgerDomain", "SyncLedgerTestSupport"]
        ),
        .testTarget(
            name: "SyncLedgerProjectionTests",
            dependencies: ["SyncLedgerProjection", "SyncLedgerStore", "SyncLedgerDomain", "SyncLedgerTestSupport"]
        ),
        .testTarget(
            name: "SyncLedgerAuditTests",
            dependencies: [
                "SyncLedgerAudit", "SyncLedgerReplay", "SyncLedgerSimulator", "SyncLedgerProjection", "SyncLedgerStore",
                "SyncLedgerDomain", "SyncLedgerTestSupport",
            ]
        ),
        .testTarget(
            name: "SyncLedgerReplayTests",
            dependencies: [
                "SyncLedgerReplay", "SyncLedgerSimulator", "SyncLedgerProjection", "SyncLedgerStore", "SyncLedgerDomain",
                "SyncLedgerTestSupport",
            ]
        ),
        .testTarget(
            name: "SyncLedgerIngestTests",
            dependencies: ["SyncLedgerIngest", "SyncLedgerProjection", "SyncLedgerStore", "SyncLedgerDomain", "SyncLedgerTestSupport"]
        ),
        .testTarget(
            name: "SyncLedgerCLITests",
            dependencies: [
                "syncledger",
                "SyncLedgerCLI",
                "SyncLedgerStore",
                "SyncLedgerDomain",
                "SyncLedgerTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)

for target in package.targets where target.name != "CGlibcMalloc" {
    target.swiftSettings = (target.swiftSettings ?? []) + strictness
}
