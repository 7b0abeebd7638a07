"""The review site's static assets (written next to the pages; no inline script or style is used)."""

REVIEW_CSS = """
:root { --fig: #fff2a8; --fig-hi: #ffd43b; --err: #c92a2a; --warn: #e67700; --info: #1971c2; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
       margin: 0; color: #212529; background: #f8f9fa; line-height: 1.7; }
header { background: #343a40; color: #fff; padding: .6rem 1.2rem; }
header a { color: #dee2e6; }
header h1 { font-size: 1.15rem; margin: .2rem 0; }
main { display: flex; gap: 1rem; padding: 1rem 1.2rem; align-items: flex-start; }
#source { flex: 3; background: #fff; padding: 1rem 1.4rem; border: 1px solid #dee2e6; white-space: pre-wrap;
          word-break: break-word; font-size: 15px; min-width: 0; }
#side { flex: 2; position: sticky; top: .5rem; max-height: 96vh; overflow: auto; min-width: 0; }
.card { background: #fff; border: 1px solid #dee2e6; padding: .6rem .9rem; margin-bottom: .8rem; }
.card h2 { font-size: 1rem; margin: .1rem 0 .5rem; }
mark.fig { background: var(--fig); border-bottom: 2px solid #f59f00; cursor: pointer; padding: 0 1px; }
mark.fig.flagged { border-bottom: 2px solid var(--err); background: #ffe3e3; }
mark.fig.active { background: var(--fig-hi); outline: 2px solid #f08c00; }
mark.span-finding { background: #e7f5ff; border-bottom: 2px dotted var(--info); }
.heading { font-weight: 700; color: #1864ab; }
table.src { border-collapse: collapse; margin: .3rem 0; white-space: normal; font-size: 14px; }
table.src td { border: 1px solid #adb5bd; padding: 1px 6px; vertical-align: top; min-width: 2.4em; }
table.src td.cell-extracted { background: #fff9db; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: 0; font-size: 14px; }
dl.kv dt { color: #868e96; } dl.kv dd { margin: 0; word-break: break-all; }
ul.findings { list-style: none; padding: 0; margin: 0; font-size: 14px; }
ul.findings li { padding: .25rem 0; border-bottom: 1px solid #f1f3f5; }
.sev-error { color: var(--err); font-weight: 700; } .sev-warning { color: var(--warn); font-weight: 700; }
.sev-info { color: var(--info); font-weight: 700; }
code { font-size: 13px; background: #f1f3f5; padding: 0 3px; }
table.index { border-collapse: collapse; width: 100%; background: #fff; font-size: 14px; }
table.index th, table.index td { border-bottom: 1px solid #dee2e6; padding: .3rem .5rem; text-align: left; }
table.index th { background: #e9ecef; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.filters { display: flex; gap: .8rem; flex-wrap: wrap; align-items: center; margin: 0 0 .8rem; }
.filters input[type=search] { min-width: 18rem; padding: .25rem .4rem; }
.hidden { display: none; }
.muted { color: #868e96; font-size: 13px; }
"""

REVIEW_JS = r"""
(function () {
  'use strict';
  function $(sel, root) { return (root || document).querySelector(sel); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function readData() {
    var node = document.getElementById('ogi-data');
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  // ---- document page: figure details on hover / click ----
  function showFigure(data, idx) {
    var panel = $('#figure-panel');
    var f = data.figures[idx];
    if (!panel || !f) { return; }
    var marks = document.querySelectorAll('mark.fig.active');
    for (var i = 0; i < marks.length; i++) { marks[i].classList.remove('active'); }
    var mine = document.querySelectorAll('mark.fig');
    for (var j = 0; j < mine.length; j++) {
      var ids = (mine[j].getAttribute('data-figs') || '').split(' ');
      if (ids.indexOf(String(idx)) >= 0) { mine[j].classList.add('active'); }
    }
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    panel.appendChild(el('h2', null, 'Figure #' + idx));
    var dl = el('dl', 'kv');
    var rows = [['metric', f.metric], ['value', f.value === null ? '(blank)' : f.value], ['unit', f.unit],
                ['kind', f.kind], ['share %', f.share_pct], ['section', f.section], ['rule', f.rule],
                ['origin', f.origin], ['table cell', f.cell], ['quote', f.quote], ['span', f.start + '-' + f.end]];
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === '') { return; }
      dl.appendChild(el('dt', null, r[0]));
      dl.appendChild(el('dd', null, r[1]));
    });
    panel.appendChild(dl);
    var checks = (data.findings || []).filter(function (x) { return x.figures.indexOf(idx) >= 0; });
    panel.appendChild(el('h2', null, checks.length ? 'Checks' : 'Checks: none failed'));
    var ul = el('ul', 'findings');
    checks.forEach(function (x) {
      var li = el('li');
      li.appendChild(el('span', 'sev-' + x.severity, x.code + ' '));
      li.appendChild(el('span', null, x.message));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }

  function initDocument(data) {
    var src = $('#source');
    if (!src) { return; }
    function handler(ev) {
      var t = ev.target;
      while (t && t !== src && !(t.tagName === 'MARK' && t.classList.contains('fig'))) { t = t.parentNode; }
      if (!t || t === src) { return; }
      var first = (t.getAttribute('data-figs') || '').split(' ')[0];
      if (first !== '') { showFigure(data, parseInt(first, 10)); }
    }
    src.addEventListener('click', handler);
    src.addEventListener('mouseover', handler);
    var links = document.querySelectorAll('a[data-fig]');
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener('click', function (ev) {
        var idx = parseInt(this.getAttribute('data-fig'), 10);
        if (!isNaN(idx)) { showFigure(data, idx); }
      });
    }
    if (location.hash.indexOf('#fig-') === 0) { showFigure(data, parseInt(location.hash.slice(5), 10)); }
  }

  // ---- index page: filters ----
  function initIndex() {
    var table = $('table.index');
    if (!table) { return; }
    var q = $('#filter-text'), st = $('#filter-status'), fl = $('#filter-findings'), count = $('#shown');
    function apply() {
      var text = (q.value || '').toLowerCase(), status = st.value, only = fl.checked, shown = 0;
      var rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i];
        var ok = (!text || (r.getAttribute('data-search') || '').toLowerCase().indexOf(text) >= 0) &&
                 (!status || r.getAttribute('data-status') === status) &&
                 (!only || parseInt(r.getAttribute('data-findings') || '0', 10) > 0);
        r.classList.toggle('hidden', !ok);
        if (ok) { shown++; }
      }
      count.textContent = String(shown);
    }
    [q, st, fl].forEach(function (c) { c.addEventListener('input', apply); c.addEventListener('change', apply); });
    apply();
  }

  var data = readData();
  if (data) { initDocument(data); }
  initIndex();
})();
"""
