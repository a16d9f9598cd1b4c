import AmigoAWS
import ArgumentParser

/// How long to wait on AWS, for every command that calls it (through `SourceOptions`).
struct TimeoutOptions: ParsableArguments {
    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp(
        "Seconds to establish a connection (TCP and TLS), per attempt.", valueName: "seconds"))
    var connect = Seconds(Timeouts.standard.connect)

    @Option(help: ArgumentHelp("Seconds one HTTP exchange with AWS may take (one attempt).", valueName: "seconds"))
    var timeout = Seconds(Timeouts.standard.exchange)

    @Option(help: ArgumentHelp(
        "Seconds one AWS call may take, retries and backoff included: a silent endpoint fails within this.",
        valueName: "seconds"))
    var deadline = Seconds(Timeouts.standard.call)

    var timeouts: Timeouts { Timeouts(connect: connect.value, exchange: timeout.value, call: deadline.value) }
}

/// A positive, finite number of seconds (fractions allowed).
struct Seconds: ExpressibleByArgument, Sendable {
    var value: Double
    init(_ value: Double) { self.value = value }

    init?(argument: String) {
        guard let value = Double(argument), value.isFinite, value > 0, value <= 86_400 else { return nil }
        self.value = value
    }

    var defaultValueDescription: String { CallDeadline.format(value) }
}
