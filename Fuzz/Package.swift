// swift-tools-version:6.1
// libFuzzer targets, one per parser of untrusted bytes. A separate package so the product's
// build and CI never see the sanitizer flags; `scripts/fuzz` builds and runs it:
//   swift build --package-path Fuzz -Xswiftc -sanitize=fuzzer,address
// Targets reach internal entry points with `@testable import` (debug builds enable testing),
// so the main library grows no fuzz-only API.
import PackageDescription

/// Target name → the amigo modules its parser lives in.
let targets: [(name: String, modules: [String])] = [
    ("ec2-query", ["AmigoAWS", "AmigoCollect"]),
    ("sts-query", ["AmigoAWS", "AmigoCollect"]),
    ("organizations-json", ["AmigoAWS", "AmigoCollect"]),
    ("credential-process", ["AmigoAWS"]),
    ("metadata-credentials", ["AmigoAWS"]),
    ("shared-config", ["AmigoAWS"]),
    ("fixtures-index", ["AmigoAWS"]),
    ("policy-yaml", ["AmigoCore"]),
    ("stored-policies", ["AmigoKit"]),
    ("catalog-evidence", ["AmigoCatalog", "AmigoCore"]),
]

let package = Package(
    name: "amigo-fuzz",
    platforms: [.macOS(.v14)],
    // `amigo` links to the repository root: a package's identity is its directory name, and a
    // checkout called `fuzz` or `main` must not decide what the product is called here.
    dependencies: [.package(path: "amigo")],
    targets: [
        // libFuzzer's driver entry point, declared for Swift.
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzHarness", dependencies: ["CFuzzDriver"]),
    ] + targets.map { target in
        // AmigoKit is the library product; its product closure carries the other modules.
        .executableTarget(name: target.name,
                          dependencies: ["FuzzHarness", .product(name: "AmigoKit", package: "amigo")],
                          path: "Sources/Targets/\(target.name)")
    },
    swiftLanguageModes: [.v6]
)
