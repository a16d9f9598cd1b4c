/// The HTML report's only style sheet and script. They are constants (never built from data)
/// so the page's Content-Security-Policy can allow exactly them by SHA-256 hash.
enum HTMLAssets {
    static let styleHash = "sha256-" + SHA256Digest.base64(style)
    static let scriptHash = "sha256-" + SHA256Digest.base64(script)

    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src '\(styleHash)'; script-src '\(scriptHash)'; "
            + "img-src 'none'; base-uri 'none'; form-action 'none'"
    }

    static let style = """

    :root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee5; --panel: #f6f8fa; --accent: #0b4f71;
      --critical: #9f1239; --high: #c2410c; --medium: #a16207; --low: #1d4ed8; --info: #52606d; }
    * { box-sizing: border-box; }
    [hidden] { display: none !important; }
    body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
      font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    header.top { background: #0f2a3d; color: #fff; padding: 20px 32px; }
    header.top h1 { margin: 0 0 6px; font-size: 22px; font-weight: 600; letter-spacing: .2px; }
    header.top dl { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0; font-size: 13px; color: #c9d6e2; }
    header.top dt { display: inline; font-weight: 600; color: #fff; }
    header.top dd { display: inline; margin: 0 0 0 4px; }
    main { max-width: 1280px; margin: 0 auto; padding: 8px 32px 40px; }
    h2 { font-size: 17px; margin: 32px 0 10px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
    h2 .count { color: var(--muted); font-weight: 400; }
    p.note { color: var(--muted); margin: 4px 0 10px; }
    .banner { margin: 20px 0 0; padding: 14px 18px; border-radius: 6px; border: 1px solid; }
    .banner.bad { background: #fff1f2; border-color: #e11d48; color: #881337; }
    .banner.good { background: #f0fdf4; border-color: #16a34a; color: #14532d; }
    .banner strong { display: block; font-size: 15px; margin-bottom: 2px; }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 10px; margin-top: 20px; }
    .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; background: var(--panel); }
    .card .n { display: block; font-size: 26px; font-weight: 650; }
    .card .l { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .6px; }
    .card.sev-critical { border-top: 4px solid var(--critical); } .card.sev-critical .n { color: var(--critical); }
    .card.sev-high { border-top: 4px solid var(--high); } .card.sev-high .n { color: var(--high); }
    .card.sev-medium { border-top: 4px solid var(--medium); } .card.sev-medium .n { color: var(--medium); }
    .card.sev-low { border-top: 4px solid var(--low); } .card.sev-low .n { color: var(--low); }
    .card.sev-info { border-top: 4px solid var(--info); } .card.sev-info .n { color: var(--info); }
    .card.zero .n { color: var(--muted); }
    .card.alert { border-color: #e11d48; background: #fff1f2; } .card.alert .n { color: #be123c; }
    table { width: 100%; border-collapse: collapse; font-size: 13px; }
    th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
    th { background: var(--panel); font-weight: 600; white-space: nowrap; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    td.num.bad { color: #be123c; font-weight: 650; }
    table + table { margin-top: 18px; }
    caption { text-align: left; font-weight: 600; padding: 2px 0 6px; }
    td.mono, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
    td.mono, span.mono { white-space: nowrap; }
    td.msg { min-width: 240px; white-space: pre-wrap; overflow-wrap: anywhere; }
    tbody tr:hover { background: #f9fbfd; }
    .muted { color: var(--muted); }
    .sev { display: inline-block; min-width: 62px; text-align: center; padding: 1px 8px; border-radius: 10px;
      color: #fff; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .4px; }
    .sev.sev-critical { background: var(--critical); }
    .sev.sev-high { background: var(--high); } .sev.sev-medium { background: var(--medium); }
    .sev.sev-low { background: var(--low); } .sev.sev-info { background: var(--info); }
    .status { font-weight: 600; } .status-failed, .status-partial { color: #be123c; } .status-skipped { color: var(--medium); }
    dl.evidence { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0 8px; font-size: 12px; }
    dl.evidence dt { color: var(--muted); } dl.evidence dd { margin: 0; overflow-wrap: anywhere;
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; }
    .controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 8px 0 10px; }
    .controls input, .controls select { font: inherit; padding: 5px 8px; border: 1px solid #b8c2cc; border-radius: 4px; }
    .controls input { min-width: 280px; }
    th button { all: unset; cursor: pointer; font-weight: 600; }
    th button::after { content: " \\2195"; color: #9aa5b1; font-weight: 400; }
    th[aria-sort=ascending] button::after { content: " \\25B2"; color: var(--accent); }
    th[aria-sort=descending] button::after { content: " \\25BC"; color: var(--accent); }
    th button:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
    footer { color: var(--muted); font-size: 12px; margin-top: 40px; border-top: 1px solid var(--line); padding-top: 10px; }
    @media print { header.top { background: #fff; color: #000; border-bottom: 2px solid #000; }
      header.top dl, header.top dt { color: #000; } .controls { display: none; } tr { break-inside: avoid; } }

    """

    /// Reads everything it needs from the DOM the server rendered; with JavaScript off the page
    /// loses only filtering and sorting.
    static let script = """

    (function () {
      "use strict";
      var table = document.getElementById("findings-table");
      var controls = document.getElementById("findings-controls");
      if (!table || !controls) { return; }
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var text = document.getElementById("filter-text");
      var severity = document.getElementById("filter-severity");
      var shown = document.getElementById("filter-count");
      controls.hidden = false;

      function apply() {
        var needle = text.value.trim().toLowerCase();
        var wanted = severity.value;
        var visible = 0;
        rows.forEach(function (row) {
          var match = (!wanted || row.getAttribute("data-severity") === wanted) &&
            (!needle || row.textContent.toLowerCase().indexOf(needle) !== -1);
          row.hidden = !match;
          if (match) { visible += 1; }
        });
        shown.textContent = visible + " of " + rows.length + " findings shown";
      }
      text.addEventListener("input", apply);
      severity.addEventListener("change", apply);

      var headers = table.tHead.rows[0].cells;
      Array.prototype.forEach.call(headers, function (th, column) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () {
          var direction = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
          Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
          function key(row) {
            var cell = row.cells[column];
            return cell.getAttribute("data-sort") || cell.textContent.trim().toLowerCase();
          }
          rows.sort(function (a, b) {
            var order = key(a).localeCompare(key(b), undefined, { numeric: true });
            if (order === 0) { order = Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order")); }
            return order * direction;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
      apply();
    })();

    """
}
