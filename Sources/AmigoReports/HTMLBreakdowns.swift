import AmigoCore

/// The breakdowns a manager asks for: by policy, by account, by region, each with its share
/// compliant (the headline's definition, per group).
extension HTMLPage {
    mutating func policies(_ d: ReportDigest) {
        line("<section id=\"policies\">")
        line("<h2>By policy <span class=\"count\">(\(d.policies.count))</span></h2>")
        table(["Policy", "Check", "Severity", "Evaluated", "Failed", "Passing", "Findings", "Waived", "Frameworks"], numeric: [3, 4, 5, 6, 7],
              rows: d.policies.map { row in
                  let frameworks = row.info.frameworks.keys.sorted()
                      .map { "\($0) \(row.info.frameworks[$0]!.joined(separator: ", "))" }.joined(separator: "; ")
                  let title = row.info.description.map { "<div class=\"muted\">\(h($0))</div>" } ?? ""
                  let passing = row.evaluated > 0 ? Headline.percent(Double(max(0, row.evaluated - row.failed)) / Double(row.evaluated)) : "n/a"
                  return ["<td><span class=\"mono\">\(h(row.info.id))</span>\(title)</td>", td(row.info.check, "mono"),
                          severityCell(row.info.severity), num(row.evaluated), num(row.failed, alarming: true), td(passing, "num"),
                          num(row.findings.count), num(row.waived.count), td(frameworks)]
              })
        line("</section>")
    }

    mutating func accounts(_ d: ReportDigest) {
        let tallies = d.complianceTallies { account, _ in account }
        line("<section id=\"accounts\">")
        line("<h2>By account <span class=\"count\">(\(d.accounts.count))</span></h2>")
        let severityHeaders = ReportDigest.severities.map { $0.rawValue.capitalized }
        table(["Account", "Name", "Images", "Compliant"] + severityHeaders + ["Waived", "Scan errors"], numeric: Set(2...10),
              rows: d.accounts.map { row in
                  [td(row.id, "mono"), td(row.name ?? ""), num(row.images), td(Headline.percent(tallies[row.id]?.share()), "num")]
                      + ReportDigest.severities.map { num(row.bySeverity[$0] ?? 0) } + [num(row.waived), num(row.scanErrors, alarming: true)]
              })
        line("</section>")
    }

    mutating func regions(_ d: ReportDigest) {
        // Regions only skipped have nothing to break down: the skipped-regions section lists them.
        let tallies = d.complianceTallies { _, region in region }
            .filter { $0.value.images.evaluated + $0.value.regions.evaluated + $0.value.findingCount > 0 }
        let accountsPerRegion = Dictionary(grouping: d.coverage.filter { $0.status != .skipped }, by: \.region).mapValues(\.count)
        line("<section id=\"regions\">")
        line("<h2>By region <span class=\"count\">(\(tallies.count))</span></h2>")
        let severityHeaders = ReportDigest.severities.map { $0.rawValue.capitalized }
        table(["Region", "Account×regions", "Images", "Compliant"] + severityHeaders, numeric: Set(1...8),
              rows: tallies.keys.sorted().map { region in
                  let t = tallies[region]!
                  return [td(region, "mono"), num(accountsPerRegion[region] ?? 0), num(t.images.evaluated), td(Headline.percent(t.share()), "num")]
                      + ReportDigest.severities.map { num(t.findings[$0] ?? 0) }
              })
        line("</section>")
    }
}
