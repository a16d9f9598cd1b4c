// swift-tools-version:6.1
// libFuzzer targets, one per parser of untrusted bytes. A separate package so the product's
// build and CI never see the sanitizer flags; `scripts/fuzz` builds and runs it:
//   swift build --package-path Fuzz -Xswiftc -sanitize=fuzzer,address
// Targets reach internal entry points with `@testable import` (debug builds enable testing),
// so the main library grows no fuzz-only API.
import PackageDescription

/// One target per parser; `scripts/fuzz list` names the same ones.
let targets = [
    "ec2-query", "sts-query", "organizations-json", "credential-process", "metadata-credentials",
    "shared-config", "fixtures-index", "policy-yaml", "stored-policies", "catalog-evidence", "baseline-json",
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
        // AmigoKit is the library product; the modules it is built from come with it.
        .executableTarget(name: target, dependencies: ["FuzzHarness", .product(name: "AmigoKit", package: "amigo")],
                          path: "Sources/Targets/\(target)")
    },
    swiftLanguageModes: [.v6]
)
