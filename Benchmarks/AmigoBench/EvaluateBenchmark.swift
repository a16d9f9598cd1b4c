// Placeholder until the Evaluate benchmark lands.
func runEvaluateBenchmark(_ arguments: [String]) async throws {
    print("Evaluate benchmark: not implemented yet")
}
