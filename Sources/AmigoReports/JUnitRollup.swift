import AmigoCore

/// A JUnit suite per framework control (`<framework> <control>`), a case per policy evidencing
/// it: a failing policy fails, one that could not be judged errors (never green), and a manual
/// control is one skipped case carrying the reason.
extension JUnitReporter {
    static func rollupSuites(_ digest: ReportDigest)
        -> [(name: String, properties: [(String, String)], cases: [Case])] {
        digest.report.frameworks.flatMap { r in
            r.controls.map { c in
                let classname = "\(r.framework.id).\(c.control.id)"
                var cases: [Case] = c.policies.map { p in
                    switch p.status {
                    case .fail:
                        let message = "\(p.findings) finding\(p.findings == 1 ? "" : "s") on \(p.failed) of \(p.evaluated) evaluated"
                        return Case(name: p.policyId, classname: classname,
                                    body: ["<failure message=\"\(Escape.xml(message))\" type=\"control-fail\"/>"], failed: true)
                    case .notEvaluated, .manual:
                        return Case(name: p.policyId, classname: classname,
                                    body: ["<error message=\"\(Escape.xml(p.reason ?? "not evaluated"))\" type=\"not-evaluated\"/>"],
                                    errored: true)
                    case .pass:
                        return Case(name: p.policyId, classname: classname, body: [])
                    }
                }
                if c.status == .manual {
                    cases = [Case(name: "manual", classname: classname,
                                  body: ["<skipped message=\"\(Escape.xml("manual: " + (c.reason ?? "")))\"/>"], skipped: true)]
                }
                return (name: "\(r.framework.id) \(c.control.id)",
                        properties: [("framework", r.framework.id), ("control", c.control.id), ("title", c.control.title),
                                     ("section", c.control.section), ("status", c.status.rawValue)],
                        cases: cases)
            }
        }
    }
}
