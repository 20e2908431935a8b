/* vetted.js: progressive enhancement for the vetted site.
   Without JavaScript every page is complete and every link works; this adds
   site search, sorting and filtering of tables, and printing with every
   <details> open. No request leaves the site: the search index is a script
   file next to the pages, loaded on first use. */
(function () {
  "use strict";

  var doc = document;
  doc.documentElement.className += " js";
  var root = doc.body.getAttribute("data-root") || "./";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  // ---------------------------------------------------------------- sorting

  function sortValue(row, index, type) {
    var cell = row.cells[index];
    if (!cell) { return type === "number" ? -Infinity : ""; }
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    raw = raw.trim();
    if (type === "number") {
      var n = parseFloat(raw);
      return isNaN(n) ? -Infinity : n;
    }
    return raw.toLowerCase();
  }

  function makeSortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    var body = table.tBodies[0];
    if (!head || !body) { return; }
    each(head.cells, function (th, index) {
      var type = th.getAttribute("data-sort-type");
      if (!type) { return; }
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        each(head.cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", direction);
        var rows = Array.prototype.slice.call(body.rows);
        var keyed = rows.map(function (row, i) { return { row: row, key: sortValue(row, index, type), i: i }; });
        keyed.sort(function (a, b) {
          var c = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
          if (direction === "descending") { c = -c; }
          return c || a.i - b.i;
        });
        keyed.forEach(function (k) { body.appendChild(k.row); });
      });
    });
  }

  // -------------------------------------------------------------- filtering

  function setupFilters(form) {
    var table = doc.getElementById(form.getAttribute("data-filter-for"));
    if (!table || !table.tBodies[0]) { return; }
    var text = form.querySelector('[data-filter="text"]');
    var tier = form.querySelector('[data-filter="tier"]');
    var status = form.querySelector('[data-filter="status"]');
    var count = form.querySelector(".filter-count");
    var rows = table.tBodies[0].rows;
    function apply() {
      var words = text ? text.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
      var t = tier ? tier.value : "";
      var s = status ? status.value : "";
      var shown = 0;
      each(rows, function (row) {
        var hay = row.textContent.toLowerCase();
        var ok = words.every(function (w) { return hay.indexOf(w) >= 0; }) &&
          (!t || row.getAttribute("data-tier") === t) &&
          (!s || row.getAttribute("data-status") === s);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (count) { count.textContent = shown + " of " + rows.length + " shown"; }
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  }

  // ----------------------------------------------------------------- search

  function setupSearch(form) {
    var input = form.querySelector("input");
    var box = form.querySelector(".search-results");
    var list = box.querySelector("ul");
    var status = box.querySelector(".search-status");
    var requested = false;
    var KIND_ORDER = { Vendor: 0, Product: 1, Question: 2 };

    function withIndex(then) {
      if (window.VETTED_SEARCH) { then(); return; }
      if (requested) { return; }
      requested = true;
      var script = doc.createElement("script");
      script.src = form.getAttribute("data-index");
      script.onload = function () { then(); };
      script.onerror = function () {
        status.textContent = "The search index could not be loaded.";
        box.hidden = false;
      };
      doc.head.appendChild(script);
    }

    function run() {
      var query = input.value.trim().toLowerCase();
      while (list.firstChild) { list.removeChild(list.firstChild); }
      if (!query) { box.hidden = true; return; }
      var words = query.split(/\s+/);
      var results = [];
      (window.VETTED_SEARCH || []).forEach(function (entry, i) {
        var title = String(entry.t).toLowerCase();
        var hay = title + " " + String(entry.x).toLowerCase() + " " + String(entry.k).toLowerCase();
        if (!words.every(function (w) { return hay.indexOf(w) >= 0; })) { return; }
        var score = title.indexOf(query) === 0 ? 0 : title.indexOf(query) > 0 ? 1 : 2;
        results.push({ e: entry, score: score, kind: KIND_ORDER[entry.k] || 3, i: i });
      });
      results.sort(function (a, b) { return a.score - b.score || a.kind - b.kind || a.i - b.i; });
      var shown = results.slice(0, 20);
      shown.forEach(function (r) {
        var li = doc.createElement("li");
        var a = doc.createElement("a");
        a.href = root + r.e.u;
        var title = doc.createElement("span");
        title.className = "r-title";
        title.textContent = r.e.t;
        var meta = doc.createElement("span");
        meta.className = "r-meta";
        meta.textContent = r.e.k + (r.e.x ? " · " + r.e.x : "");
        a.appendChild(title);
        a.appendChild(meta);
        li.appendChild(a);
        list.appendChild(li);
      });
      status.textContent = results.length === 0 ? "No results" :
        results.length === 1 ? "1 result" :
        results.length > shown.length ? results.length + " results, first " + shown.length + " shown" :
        results.length + " results";
      box.hidden = false;
    }

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

    input.addEventListener("focus", function () { withIndex(function () { if (input.value) { run(); } }); });
    input.addEventListener("input", function () { withIndex(run); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var first = links()[0];
      if (first) { window.location.href = first.href; }
    });
    form.addEventListener("keydown", function (e) {
      var all = links();
      var at = all.indexOf(doc.activeElement);
      if (e.key === "Escape") {
        box.hidden = true;
        input.focus();
      } else if (e.key === "ArrowDown" && all.length) {
        e.preventDefault();
        all[Math.min(at + 1, all.length - 1)].focus();
      } else if (e.key === "ArrowUp" && all.length) {
        e.preventDefault();
        if (at <= 0) { input.focus(); } else { all[at - 1].focus(); }
      }
    });
    doc.addEventListener("click", function (e) {
      if (!form.contains(e.target)) { box.hidden = true; }
    });
    form.hidden = false;
  }

  // ------------------------------------------------------------------ print

  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    each(doc.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      closedForPrint.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

  // ------------------------------------------------------- mobile labels

  // On narrow screens a table row is stacked (style.css); each cell shows its
  // column's header as a label. Templates may set data-label; the rest are
  // filled from the header text here (textContent only).
  function labelCells(table) {
    var heads = table.tHead ? table.tHead.rows[0] : null;
    if (!heads) { return; }
    var names = Array.prototype.map.call(heads.cells, function (c) { return c.textContent.trim(); });
    each(table.tBodies, function (body) {
      each(body.rows, function (row) {
        each(row.cells, function (cell, i) {
          if (!cell.hasAttribute("data-label") && names[i]) { cell.setAttribute("data-label", names[i]); }
        });
      });
    });
  }

  each(doc.querySelectorAll("table.data"), labelCells);
  each(doc.querySelectorAll("table.sortable"), makeSortable);
  each(doc.querySelectorAll("form.filters[data-filter-for]"), setupFilters);
  each(doc.querySelectorAll("form.search[data-index]"), setupSearch);
}());
