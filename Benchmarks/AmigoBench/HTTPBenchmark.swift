// Placeholder until the HTTP benchmark lands.
func runHTTPBenchmark(_ arguments: [String]) async throws {
    print("HTTP benchmark: not implemented yet")
}
