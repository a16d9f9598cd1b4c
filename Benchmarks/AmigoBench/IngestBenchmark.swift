// Placeholder until the Ingest benchmark lands.
func runIngestBenchmark(_ arguments: [String]) async throws {
    print("Ingest benchmark: not implemented yet")
}
