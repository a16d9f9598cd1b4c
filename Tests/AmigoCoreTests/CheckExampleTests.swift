import Testing
@testable import AmigoCore

/// One case per example of every registered check: a new check's examples run without
/// touching this file.
struct ExampleCase: Sendable, CustomTestStringConvertible {
    let check: any Check.Type
    let example: CheckExample
    var testDescription: String { "\(check.id): \(example.name) (\(example.expect.rawValue))" }

    static var all: [ExampleCase] {
        CheckRegistry.all.flatMap { check in check.examples.map { ExampleCase(check: check, example: $0) } }
    }
}

@Test("every check example passes or fails as it says", arguments: ExampleCase.all)
func checkExample(_ testCase: ExampleCase) throws {
    let parameters = try CheckParameters(yaml: testCase.example.params)
    let check = try testCase.check.init(parameters: parameters)
    let violations = check.evaluate(testCase.example.image, in: testCase.example.context)
    switch testCase.example.expect {
    case .pass: #expect(violations.isEmpty, "unexpected: \(violations.map(\.message))")
    case .fail: #expect(!violations.isEmpty)
    }
    for violation in violations {
        #expect(!violation.evidence.isEmpty, "a violation must say what decided it: \(violation.message)")
        #expect(!violation.message.contains("\n"), "messages are one line: \(violation.message)")
    }
}

@Test func everyCheckHasPassingAndFailingExamples() {
    for check in CheckRegistry.all {
        let expectations = Set(check.examples.map(\.expect))
        #expect(expectations == [.pass, .fail], "\(check.id)")
        #expect(CheckRegistry.type(for: check.id) == check)
    }
    #expect(CheckRegistry.all.map { $0.id }.sorted() ==
            ["age", "cross-account-sharing", "encryption", "public-sharing", "tags", "virtualization-type"])
    #expect(CheckRegistry.type(for: "nope") == nil)
}
