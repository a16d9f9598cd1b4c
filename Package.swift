// swift-tools-version:6.1
// Read top to bottom, this file is the architecture: each target depends only on those above it.
import PackageDescription

let package = Package(
    name: "amigo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "amigo", targets: ["amigo"]),
        .library(name: "AmigoKit", targets: ["AmigoKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C seams onto the system libraries amigo needs: libcurl (HTTP), libxml2 (AWS XML) and
        // RE2 (tag patterns in time linear in the value, through a C++ shim: RE2's API is C++).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .target(name: "CXMLShim", dependencies: ["CLibXML2"]),
        .target(name: "CCurlShim", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CRE2Shim", linkerSettings: [.linkedLibrary("re2")]),

        // Model, policies, checks and the rule engine: pure, no I/O beyond reading policy text.
        .target(name: "AmigoCore", dependencies: ["CRE2Shim", .product(name: "Yams", package: "Yams")]),
        // AWS wire: transports, SigV4, credentials, endpoints, XML/JSON protocols, retries.
        .target(name: "AmigoAWS", dependencies: [
            "CCurlShim", "CXMLShim",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Collectors: accounts, regions, images, permissions, snapshots, guardrails → model.
        .target(name: "AmigoCollect", dependencies: ["AmigoCore", "AmigoAWS",
            .product(name: "Logging", package: "swift-log")]),
        // The SQLite catalogue: schema, migrations, scans and their history.
        // GRDBSQLite: the hot inserts bind straight to SQLite's C API (`RowInsert`).
        .target(name: "AmigoCatalog", dependencies: ["AmigoCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // Reporters: pure functions from an evaluated report to bytes.
        .target(name: "AmigoReports", dependencies: ["AmigoCore",
            .product(name: "Crypto", package: "swift-crypto")]),
        // Orchestration: scan, collect, evaluate, report; the exit-code policy.
        .target(name: "AmigoKit", dependencies: ["AmigoCore", "AmigoAWS", "AmigoCollect",
            "AmigoCatalog", "AmigoReports", .product(name: "Logging", package: "swift-log")]),
        // The command line: flags → AmigoKit call → exit code.
        .executableTarget(name: "amigo", dependencies: ["AmigoKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Benchmarks (`swift run -c release amigo-bench help`): figures, never pass/fail tests.
        .executableTarget(name: "amigo-bench", dependencies: ["AmigoKit", "AmigoCore", "AmigoCatalog",
            "AmigoAWS", "AmigoCollect", "AmigoTestSupport"], path: "Benchmarks/AmigoBench"),

        // Test support: the moto server and a fault-injecting proxy, started on free loopback ports.
        .target(name: "AmigoTestSupport", dependencies: ["AmigoAWS"], path: "Tests/Support"),
        .testTarget(name: "AmigoCoreTests", dependencies: ["AmigoCore"], exclude: ["PolicyFiles"]),
        .testTarget(name: "AmigoAWSTests", dependencies: ["AmigoAWS", "AmigoTestSupport",
            .product(name: "Crypto", package: "swift-crypto")], resources: [.copy("Vectors")]),
        .testTarget(name: "AmigoCollectTests", dependencies: ["AmigoCollect", "AmigoAWS", "AmigoCore"]),
        .testTarget(name: "AmigoCatalogTests", dependencies: ["AmigoCatalog", "AmigoCore"]),
        .testTarget(name: "AmigoReportsTests", dependencies: ["AmigoReports", "AmigoCore", "AmigoTestSupport"],
                    exclude: ["Golden"]),
        .testTarget(name: "AmigoKitTests", dependencies: ["AmigoKit", "AmigoCore", "AmigoCatalog",
            "AmigoAWS", "AmigoCollect", "AmigoTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
