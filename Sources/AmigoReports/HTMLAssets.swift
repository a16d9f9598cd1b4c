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
    table { width: 100%; border-collapse: collapse; font-size: 13px; }
    th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
    th { background: var(--panel); font-weight: 600; white-space: nowrap; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    td.num.bad { color: #be123c; font-weight: 650; }
    .scroll + .scroll { margin-top: 18px; }
    caption { text-align: left; font-weight: 600; padding: 2px 0 6px; }
    td.mono, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
    td.mono, span.mono { white-space: nowrap; }
    td.msg { min-width: 200px; white-space: pre-wrap; overflow-wrap: normal; word-break: normal; }
    .nw { white-space: nowrap; }
    .scroll { overflow-x: auto; }
    tbody tr:hover { background: #f9fbfd; }
    .muted { color: var(--muted); }
    .sev { display: inline-block; min-width: 62px; text-align: center; padding: 1px 8px; border-radius: 10px;
      color: #fff; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .4px; }
    .sev.sev-critical { background: var(--critical); }
    .sev.sev-high { background: var(--high); } .sev.sev-medium { background: var(--medium); }
    .sev.sev-low { background: var(--low); } .sev.sev-info { background: var(--info); }
    .status { font-weight: 600; } .status-failed, .status-partial { color: #be123c; } .status-skipped { color: var(--medium); }
    #findings-table td:last-child { min-width: 230px; }
    dl.evidence { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0 8px; font-size: 12px; }
    dl.evidence dt { color: var(--muted); } dl.evidence dd { margin: 0; overflow-wrap: normal; word-break: normal;
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
    span.bad { color: #be123c; font-weight: 650; }
    .headline { display: grid; grid-template-columns: minmax(190px, max-content) 1fr; gap: 12px 28px; align-items: start; margin: 8px 0 14px; }
    .headline .figure { border: 1px solid var(--line); border-top: 4px solid var(--accent); border-radius: 6px; background: var(--panel); padding: 12px 20px; }
    .headline .figure .n { display: block; font-size: 40px; font-weight: 700; color: var(--accent); line-height: 1.1; }
    .headline .figure .l { display: block; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .6px; }
    .headline .figure .delta { display: block; margin-top: 4px; font-size: 13px; }
    .headline .explain p { margin: 0 0 6px; }
    .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 14px; margin: 10px 0 16px; }
    figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px 6px; }
    figure.chart svg { display: block; width: 100%; height: auto; }
    figure.chart figcaption { font-size: 12px; color: var(--muted); }
    figure.chart figcaption strong { color: var(--ink); margin-right: 4px; }
    .chart .grid { stroke: var(--line); stroke-width: 1; }
    .chart .axis { font-size: 10px; fill: var(--muted); }
    .chart .line { fill: none; stroke: var(--accent); stroke-width: 2; }
    .chart .dot { fill: var(--accent); }
    .c-critical { fill: var(--critical); color: var(--critical); } .c-high { fill: var(--high); color: var(--high); }
    .c-medium { fill: var(--medium); color: var(--medium); } .c-low { fill: var(--low); color: var(--low); }
    .c-info { fill: var(--info); color: var(--info); } .c-share { color: var(--accent); }
    .c-new { fill: #be123c; color: #be123c; } .c-resolved { fill: #15803d; color: #15803d; }
    .key { white-space: nowrap; margin-left: 8px; }
    .key::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; background: currentColor; }
    #findings-table tbody.page { display: none; }
    #findings-table tbody.page.first, #findings-table tbody.page:target { display: table-row-group; }
    #findings-table:has(tbody.page:target) tbody.page.first:not(:target) { display: none; }
    .pager { margin: 6px 0 10px; font-size: 13px; color: var(--muted); }
    .pager a { display: inline-block; min-width: 26px; text-align: center; padding: 1px 5px; margin: 2px 0;
      border: 1px solid var(--line); border-radius: 3px; color: var(--accent); text-decoration: none; }
    .controls button { font: inherit; padding: 4px 10px; border: 1px solid #b8c2cc; border-radius: 4px; background: #fff; cursor: pointer; }
    .controls button:disabled { color: #9aa5b1; cursor: default; }
    @media print {
      @page { size: A4; margin: 12mm 10mm; }
      body { font-size: 10px; }
      main { max-width: none; padding: 0; }
      header.top { background: #fff; color: #000; border-bottom: 2px solid #000; padding: 0 0 8px; }
      header.top dl, header.top dt { color: #000; }
      .controls, .pager { display: none !important; }
      table { font-size: 9px; }
      th { white-space: normal; }
      thead { display: table-header-group; }
      tr, figure.chart, .headline, .banner { break-inside: avoid; }
      h2 { break-after: avoid; margin-top: 18px; }
      .scroll { overflow: visible; }
      td.msg, #findings-table td:last-child { min-width: 0; }
      th, td { padding: 3px 4px; }
      td.mono, .mono, dl.evidence, caption { font-size: 8px; }
      .sev { min-width: 0; padding: 0 4px; font-size: 7px; }
      .headline .figure .n { font-size: 28px; }
      .charts { grid-template-columns: repeat(3, 1fr); gap: 8px; }
      #findings-table tbody.page { display: table-row-group !important; }
      a { color: inherit; text-decoration: none; }
    }

    """

    /// Reads everything it needs from the DOM the server rendered; with JavaScript off the page
    /// loses only filtering, sorting and the one-click pager (CSS `:target` pages instead).
    static let script = """

    (function () {
      "use strict";
      var table = document.getElementById("findings-table");
      var controls = document.getElementById("findings-controls");
      if (!table || !controls) { return; }
      var pageSize = 250;
      var rows = [];
      Array.prototype.forEach.call(table.tBodies, function (b) { rows = rows.concat(Array.prototype.slice.call(b.rows)); });
      while (table.tBodies.length) { table.removeChild(table.tBodies[0]); }
      var body = document.createElement("tbody");
      table.appendChild(body);
      var pager = document.getElementById("findings-pager");
      if (pager) { pager.hidden = true; }
      var text = document.getElementById("filter-text");
      var severity = document.getElementById("filter-severity");
      var shown = document.getElementById("filter-count");
      var previous = document.getElementById("page-prev");
      var next = document.getElementById("page-next");
      var texts = null;
      var matching = rows;
      var page = 0;
      controls.hidden = false;

      function show(all) {
        var start = all ? 0 : page * pageSize;
        var end = all ? matching.length : Math.min(matching.length, start + pageSize);
        var fragment = document.createDocumentFragment();
        for (var i = start; i < end; i += 1) { fragment.appendChild(matching[i]); }
        body.textContent = "";
        body.appendChild(fragment);
        shown.textContent = matching.length === 0 ? "no finding matches" :
          (start + 1) + "–" + end + " of " + matching.length + " findings shown" +
          (matching.length === rows.length ? "" : " (" + rows.length + " in all)");
        previous.disabled = all || page === 0;
        next.disabled = all || end >= matching.length;
      }

      function apply() {
        var needle = text.value.trim().toLowerCase();
        var wanted = severity.value;
        if (needle && !texts) {
          texts = new Map();
          rows.forEach(function (row) { texts.set(row, row.textContent.toLowerCase()); });
        }
        matching = rows.filter(function (row) {
          return (!wanted || row.getAttribute("data-severity") === wanted) &&
            (!needle || texts.get(row).indexOf(needle) !== -1);
        });
        page = 0;
        show(false);
      }
      text.addEventListener("input", apply);
      severity.addEventListener("change", apply);
      previous.addEventListener("click", function () { page -= 1; show(false); });
      next.addEventListener("click", function () { page += 1; show(false); });
      // Printing puts every matching row on paper, not only the page on screen.
      window.addEventListener("beforeprint", function () { show(true); });
      window.addEventListener("afterprint", function () { show(false); });

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
          var keys = new Map();
          rows.forEach(function (row) { keys.set(row, key(row)); });
          rows.sort(function (a, b) {
            var order = keys.get(a).localeCompare(keys.get(b), undefined, { numeric: true });
            if (order === 0) { order = Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order")); }
            return order * direction;
          });
          apply();
        });
      });
      apply();
    })();

    """
}
