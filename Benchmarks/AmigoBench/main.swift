import Foundation

// Each benchmark prints its figures; none asserts: targets are read, not enforced.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "evaluate": try await runEvaluateBenchmark(Array(arguments.dropFirst()))
case "ingest": try await runIngestBenchmark(Array(arguments.dropFirst()))
case "http": try await runHTTPBenchmark(Array(arguments.dropFirst()))
case "patterns": try runPatternsBenchmark(Array(arguments.dropFirst()))
case "xml": try await runXMLBenchmark(Array(arguments.dropFirst()))
case "images-memory": try runImagesMemoryBenchmark(Array(arguments.dropFirst()))
default:
    print("""
    usage: amigo-bench evaluate [IMAGES…]   evaluate generated catalogues against policies/baseline.yml
           amigo-bench ingest [IMAGES]      write a generated inventory into a new SQLite catalogue
           amigo-bench http [REQUESTS]      client CPU per request against a local keep-alive server
           amigo-bench patterns [SEARCHES]  backtracking-prone tag patterns on 256-character values (RE2)
           amigo-bench xml [PAGES]          parse + decode CPU of DescribeImages pages and attribute answers
           amigo-bench images-memory [PAGES] live heap and RSS per decoded image, PAGES pages of 1,000 kept
    """)
}
