//! The page around the sections: the inline style and script, and the
//! Content-Security-Policy that allows exactly those two and nothing from
//! the network.

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The whole style sheet, screen and print.
pub const STYLE: &str = r#"
:root { --fg: #1d232a; --muted: #5b6570; --line: #d6dbe0; --bg: #ffffff; --panel: #f5f7f9;
  --error: #b3261e; --warning: #8a5a00; --info: #1f5fa8; --ok: #1e7b34; --accent: #3b5bdb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header.top { padding: 18px 28px 10px; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top h1 { margin: 0 0 4px; font-size: 22px; }
header.top p { margin: 0; color: var(--muted); }
nav.sections { display: flex; flex-wrap: wrap; gap: 4px 14px; margin-top: 10px; }
nav.sections a { color: var(--accent); text-decoration: none; }
main { padding: 8px 28px 40px; max-width: 1400px; }
section { margin-top: 26px; }
h2 { font-size: 19px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.card .value { font-size: 24px; font-weight: 600; }
.card .label { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 14px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; unicode-bidi: isolate; }
.scroll { overflow-x: auto; }
td code { overflow-wrap: anywhere; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: var(--panel); position: sticky; top: 0; }
th button { font: inherit; font-weight: 600; border: 0; background: none; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort="ascending"] button::after { content: " \25B2"; }
th[aria-sort="descending"] button::after { content: " \25BC"; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.muted { color: var(--muted); }
.na { color: var(--muted); font-style: italic; background: var(--panel); border-left: 4px solid var(--line); padding: 8px 12px; }
.sev-error { color: var(--error); font-weight: 600; }
.sev-warning { color: var(--warning); font-weight: 600; }
.sev-info { color: var(--info); font-weight: 600; }
.level { font-weight: 600; text-transform: capitalize; }
.pass { color: var(--ok); font-weight: 600; }
.fail { color: var(--error); font-weight: 600; }
.guard { display: inline-block; border: 1px solid var(--line); border-radius: 10px; padding: 0 6px; margin: 0 2px 2px 0; font-size: 12px; }
.guard.auth { border-color: var(--ok); color: var(--ok); }
.search { display: flex; gap: 10px; align-items: center; margin: 6px 0; }
.search input { font: inherit; padding: 4px 8px; min-width: 320px; border: 1px solid var(--line); border-radius: 4px; }
details.rule { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 4px 10px; }
details.rule > summary { cursor: pointer; padding: 4px 0; }
.finding { margin: 8px 0 12px; }
.finding .where { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; color: var(--muted); }
pre.frame { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 6px 0; margin: 4px 0; overflow-x: auto; }
pre.frame span { display: block; padding: 0 10px; white-space: pre; }
pre.frame span.hit { background: #fde8e7; }
pre.frame i { font-style: normal; color: var(--muted); display: inline-block; min-width: 4em; user-select: none; }
pre.doc { white-space: pre-wrap; background: var(--panel); padding: 10px; border-radius: 4px; }
ol.flow { margin: 2px 0; font-size: 13px; }
figure { margin: 8px 0 14px; }
figcaption { color: var(--muted); font-size: 13px; }
svg { max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
svg text { font-size: 12px; fill: var(--fg); }
svg .bar { fill: var(--accent); }
svg .bar.error, svg .node.error { fill: var(--error); }
svg .bar.warning { fill: #d08c00; }
svg .bar.info { fill: var(--info); }
svg .bar.ok { fill: var(--ok); }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .node { fill: #e7ecff; stroke: var(--accent); stroke-width: 1.5; }
svg .node.core { fill: #eef0f2; stroke: var(--muted); }
svg .edge { fill: none; stroke: #8a96a3; }
svg .edge.cycle { stroke: var(--error); stroke-dasharray: 5 3; }
svg .series0 { stroke: var(--accent); fill: none; stroke-width: 2; }
svg .series1 { stroke: #d08c00; fill: none; stroke-width: 2; }
svg .series2 { stroke: var(--error); fill: none; stroke-width: 2; }
svg .series3 { stroke: var(--ok); fill: none; stroke-width: 2; }
svg .legend0 { fill: var(--accent); } svg .legend1 { fill: #d08c00; } svg .legend2 { fill: var(--error); } svg .legend3 { fill: var(--ok); }
footer { color: var(--muted); font-size: 13px; padding: 10px 28px 30px; border-top: 1px solid var(--line); }
@media print {
  body { font-size: 11pt; }
  header.top, thead th { background: none; }
  nav.sections, .search { display: none; }
  main { padding: 0; max-width: none; }
  section { break-inside: auto; }
  h2, h3 { break-after: avoid; }
  tr, .finding, figure { break-inside: avoid; }
  thead th { position: static; }
  a { color: inherit; text-decoration: none; }
  pre.frame { white-space: pre-wrap; }
}
"#;

/// Sorting and searching of tables; opens folded sections for printing.
/// Reads only the page's own markup: no data is embedded in the script.
pub const SCRIPT: &str = r#"
(function () {
  'use strict';
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ''; }
    var value = cell.getAttribute('data-sort');
    return value === null ? cell.textContent.trim() : value;
  }
  function compare(a, b) {
    if (a !== '' && b !== '' && isFinite(a) && isFinite(b)) { return parseFloat(a) - parseFloat(b); }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    if (!table.tHead || !table.tBodies.length) { return; }
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, index) {
      var button = th.querySelector('button');
      if (!button) { return; }
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var order = compare(cellValue(r1, index), cellValue(r2, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  document.querySelectorAll('input[data-filter]').forEach(function (input) {
    var id = input.getAttribute('data-filter');
    var table = document.getElementById(id);
    var status = document.getElementById(id + '-shown');
    if (!table || !table.tBodies.length) { return; }
    input.addEventListener('input', function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var rows = table.tBodies[0].rows;
      var shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      if (status) { status.textContent = shown + ' of ' + rows.length + ' shown'; }
    });
  });
  document.querySelectorAll('input[data-filter-findings]').forEach(function (input) {
    var section = document.getElementById(input.getAttribute('data-filter-findings'));
    var status = document.getElementById(input.id + '-shown');
    if (!section) { return; }
    input.addEventListener('input', function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      var total = 0;
      section.querySelectorAll('details.rule').forEach(function (group) {
        var heading = group.querySelector('summary').textContent.toLowerCase();
        var visible = 0;
        group.querySelectorAll('.finding').forEach(function (finding) {
          var text = heading + ' ' + finding.textContent.toLowerCase();
          var match = words.every(function (word) { return text.indexOf(word) !== -1; });
          finding.hidden = !match;
          total += 1;
          if (match) { visible += 1; }
        });
        group.hidden = visible === 0;
        if (words.length && visible) { group.open = true; }
        shown += visible;
      });
      if (status) { status.textContent = shown + ' of ' + total + ' shown'; }
    });
  });
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
})();
"#;

/// `'sha256-…'` of an inline element's exact content.
pub fn csp_hash(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// The policy: nothing may load (no network, no files, no frames, no
/// forms); only the page's own style and script run, by hash.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src 'none'; base-uri 'none'; form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    )
}
