/* vetted.js: progressive enhancement for the vetted site.
   Without JavaScript every page is complete and every link works; this adds
   site search, sorting and filtering of tables, and printing with every
   <details> open. No request leaves the site: the search index is script
   files next to the pages (search/), each loaded when a query needs it. */
(function () {
  "use strict";

  var doc = document;
  doc.documentElement.className += " js";
  var root = doc.body.getAttribute("data-root") || "./";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  // fn once, after the next frame is painted, however often asked before it
  // runs: for work no one waits to see (the URL's hash follows a filter).
  function afterPaint(fn) {
    var pending = false;
    return function () {
      if (pending) { return; }
      pending = true;
      var run = function () { pending = false; fn(); };
      if (window.requestAnimationFrame) {
        window.requestAnimationFrame(function () { setTimeout(run, 0); });
      } else { setTimeout(run, 0); }
    };
  }

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
      function sortBy(direction) {
        each(head.cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", direction);
        var rows = Array.prototype.slice.call(body.rows);
        var keyed = rows.map(function (row, i) { return { row: row, key: sortValue(row, index, type), i: i }; });
        keyed.sort(function (a, b) {
          var c = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
          if (direction === "descending") { c = -c; }
          return c || a.i - b.i;
        });
        // One move of every row (a fragment), one layout.
        var frag = doc.createDocumentFragment();
        keyed.forEach(function (k) { frag.appendChild(k.row); });
        body.appendChild(frag);
      }
      button.addEventListener("click", function () {
        var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        sortBy(direction);
        var key = th.getAttribute("data-key");
        if (key) {
          hashState.sort = key;
          hashState.dir = direction === "ascending" ? "asc" : "desc";
          writeHashLater();
        }
      });
      if (th.getAttribute("data-key") && th.getAttribute("data-key") === hashState.sort) {
        sortBy(hashState.dir === "desc" ? "descending" : "ascending");
      }
    });
  }

  // -------------------------------------------------------------- filtering

  // The filter state lives in the URL hash (#tier=1&kind=soc2-type2), so a
  // filtered view can be linked to, from file:// too. Each control's
  // data-filter is its hash key ("text" is written as q); it compares the
  // row's data-<data-attr or key> by data-op: eq (default), has (one of a
  // space-separated list), lt (a number below the value), cell (the kind
  // and status controls together against one "kind:status" token of the
  // row's data-cells). Unknown hash keys are ignored.
  function readFilterHash() {
    var out = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var i = pair.indexOf("=");
      if (i > 0) {
        try { out[decodeURIComponent(pair.slice(0, i))] = decodeURIComponent(pair.slice(i + 1).replace(/\+/g, " ")); } catch (e) { /* a malformed pair is ignored */ }
      }
    });
    return out;
  }

  var hashState = readFilterHash();

  function writeHash() {
    var parts = [];
    Object.keys(hashState).sort().forEach(function (k) {
      if (hashState[k]) { parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(hashState[k])); }
    });
    var url = window.location.pathname + window.location.search + (parts.length ? "#" + parts.join("&") : "");
    try { window.history.replaceState(null, "", url); } catch (e) { /* some file:// setups refuse; the filter still applies */ }
  }
  var writeHashLater = afterPaint(writeHash);

  function keyOf(control) {
    var k = control.getAttribute("data-filter");
    return k === "text" ? "q" : k;
  }

  function setupFilters(form) {
    var table = doc.getElementById(form.getAttribute("data-filter-for"));
    if (!table || !table.tBodies[0]) { return; }
    var controls = Array.prototype.slice.call(form.querySelectorAll("[data-filter]"));
    var count = form.querySelector(".filter-count");
    var rows = table.tBodies[0].rows;
    function load() {
      controls.forEach(function (c) {
        var v = hashState[keyOf(c)] || "";
        if (c.tagName === "SELECT" && !Array.prototype.some.call(c.options, function (o) { return o.value === v; })) { v = ""; }
        c.value = v;
      });
    }
    function matches(row, c, v, cell) {
      var key = keyOf(c);
      var op = c.getAttribute("data-op") || "eq";
      if (key === "q") {
        // The row's text, lower-cased once (rows never change, only move).
        var hay = row.vettedText;
        if (hay === undefined) { hay = row.vettedText = row.textContent.toLowerCase(); }
        return v.toLowerCase().split(/\s+/).filter(Boolean).every(function (w) { return hay.indexOf(w) >= 0; });
      }
      if (op === "cell") { return true; }
      var attr = row.getAttribute("data-" + (c.getAttribute("data-attr") || key)) || "";
      if (op === "has") { return (" " + attr + " ").indexOf(" " + v + " ") >= 0; }
      if (op === "lt") { return attr !== "" && Number(attr) < Number(v); }
      return attr === v;
    }
    function apply() {
      var active = controls.filter(function (c) { return c.value; });
      var cell = {};
      active.forEach(function (c) { if (c.getAttribute("data-op") === "cell") { cell[keyOf(c)] = c.value; } });
      var useCell = cell.kind || cell.status;
      var shown = 0;
      each(rows, function (row) {
        var ok = active.every(function (c) { return matches(row, c, c.value); });
        if (ok && useCell) {
          ok = (row.getAttribute("data-cells") || "").split(" ").some(function (t) {
            var i = t.lastIndexOf(":");
            return (!cell.kind || t.slice(0, i) === cell.kind) && (!cell.status || t.slice(i + 1) === cell.status);
          });
        }
        if (row.hidden !== !ok) { row.hidden = !ok; }
        if (ok) { shown += 1; }
      });
      var said = shown + " of " + rows.length + " shown";
      if (count && count.textContent !== said) { count.textContent = said; }
    }
    function changed() {
      controls.forEach(function (c) { hashState[keyOf(c)] = c.value; });
      apply();
      writeHashLater();
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    window.addEventListener("hashchange", function () { hashState = readFilterHash(); load(); apply(); });
    form.hidden = false;
    load();
    apply();
  }

  // ----------------------------------------------------------------- search

  function setupSearch(form) {
    var input = form.querySelector("input");
    var box = form.querySelector(".search-results");
    var list = box.querySelector("ul");
    var status = box.querySelector(".search-status");
    // The index (see the build's search module; data-index names one of its
    // files, the others are beside it): word files search/<c>.js
    // map each word to the ids of the entries holding it (delta-encoded);
    // entry files search/e/<n>.js hold the entries, CHUNK per file, by id.
    // A query loads its words' files, intersects their ids and loads only
    // the entry files of the results it shows.
    var CHUNK = 1000;
    var SHOWN = 20;
    var KINDS = { v: "Vendor", c: "Category", o: "Owner", p: "Product", s: "Subprocessor", f: "Finding", e: "Evidence", q: "Question" };
    var loading = {};
    var generation = 0;
    var index = function () { return window.VETTED_SEARCH || { w: {}, e: {} }; };

    function wordsOf(text) { return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean); }
    function shardOf(word) { var c = word.charAt(0); return /[a-z0-9]/.test(c) ? c : "_"; }
    function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

    // Load the files ("a", "e/3") not loaded yet, then call then().
    function need(files, then) {
      var missing = files.filter(function (f) {
        var e = f.indexOf("e/") === 0;
        return !has(e ? index().e : index().w, e ? f.slice(2) : f);
      });
      var left = missing.length;
      if (!left) { then(); return; }
      missing.forEach(function (f) {
        if (!loading[f]) {
          loading[f] = [];
          var script = doc.createElement("script");
          script.src = form.getAttribute("data-index").replace(/[^\/]*$/, "") + f + ".js";
          script.onload = function () { var w = loading[f]; loading[f] = null; w.forEach(function (fn) { fn(); }); };
          script.onerror = function () {
            loading[f] = null;
            status.textContent = "The search index could not be loaded.";
            box.hidden = false;
          };
          doc.head.appendChild(script);
        }
        loading[f].push(function () { left -= 1; if (!left) { then(); } });
      });
    }

    function target(u) {
      if (u.charAt(0) !== "@") { return u; }
      var hash = u.indexOf("#");
      var slug = hash < 0 ? u.slice(1) : u.slice(1, hash);
      return "vendors/" + slug + "/index.html" + (hash < 0 ? "" : u.slice(hash));
    }

    // Ids of the entries with a word beginning with `prefix`, ascending.
    function idsFor(prefix) {
      var shard = index().w[shardOf(prefix)] || {};
      var seen = {};
      var out = [];
      Object.keys(shard).forEach(function (word) {
        if (word.indexOf(prefix) !== 0) { return; }
        var id = 0;
        shard[word].forEach(function (d) {
          id += d;
          if (!seen[id]) { seen[id] = true; out.push(id); }
        });
      });
      return out.sort(function (a, b) { return a - b; });
    }

    function entryAt(id) { return (index().e[Math.floor(id / CHUNK)] || [])[id % CHUNK]; }

    // An entry about an item of a vendor's page names its vendor by the id of
    // the vendor's entry: [title, kind, vendor id, "#fragment", extra].
    // Its target and extra text as a plain entry's: [title, kind, target, extra].
    function resolve(entry) {
      if (typeof entry[2] !== "number") { return entry; }
      var vendor = entryAt(entry[2]) || ["", "v", "@", ""];
      var extra = [entry[4], vendor[0]].filter(Boolean).join(" · ");
      return [entry[0], entry[1], String(vendor[2]) + entry[3], extra];
    }

    function show(results) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      results.slice(0, SHOWN).forEach(function (id) {
        var entry = entryAt(id);
        if (!entry) { return; }
        entry = resolve(entry);
        var li = doc.createElement("li");
        var a = doc.createElement("a");
        a.href = root + target(String(entry[2]));
        var title = doc.createElement("span");
        title.className = "r-title";
        title.textContent = entry[0];
        var meta = doc.createElement("span");
        meta.className = "r-meta";
        meta.textContent = (KINDS[entry[1]] || "") + (entry[3] ? " · " + entry[3] : "");
        a.appendChild(title);
        a.appendChild(meta);
        li.appendChild(a);
        list.appendChild(li);
      });
      var n = results.length;
      status.textContent = n === 0 ? "No results" : n === 1 ? "1 result" :
        n > SHOWN ? n + " results, first " + SHOWN + " shown" : n + " results";
      box.hidden = false;
    }

    function run() {
      var words = wordsOf(input.value);
      var mine = ++generation;
      if (!words.length) {
        while (list.firstChild) { list.removeChild(list.firstChild); }
        box.hidden = true;
        return;
      }
      var shards = words.map(shardOf).filter(function (c, i, all) { return all.indexOf(c) === i; });
      need(shards, function () {
        if (mine !== generation) { return; }
        var results = null;
        words.forEach(function (w) {
          var ids = idsFor(w);
          if (results === null) { results = ids; return; }
          var set = {};
          ids.forEach(function (id) { set[id] = true; });
          results = results.filter(function (id) { return set[id]; });
        });
        var chunks = results.slice(0, SHOWN).map(function (id) { return "e/" + Math.floor(id / CHUNK); })
          .filter(function (c, i, all) { return all.indexOf(c) === i; });
        need(chunks, function () {
          if (mine !== generation) { return; }
          // Then the files of the vendors those entries name.
          var vendors = results.slice(0, SHOWN).map(entryAt)
            .filter(function (e) { return e && typeof e[2] === "number"; })
            .map(function (e) { return "e/" + Math.floor(e[2] / CHUNK); })
            .filter(function (c, i, all) { return all.indexOf(c) === i; });
          need(vendors, function () { if (mine === generation) { show(results); } });
        });
      });
    }

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

    input.addEventListener("focus", function () { if (input.value) { run(); } });
    input.addEventListener("input", run);
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

  // ------------------------------------------------------ paginated tables
  // A table with data-table="NAME" and data-rows="…/rows.js" (src/render/table.rs):
  // the page shows one server-rendered page of rows; on the first filter, sort
  // or a URL hash with state, its data script is loaded (script src, works
  // from file://) and every row is filtered, sorted and shown a window of
  // data-page-size at a time, with its own pager. State lives in the URL hash
  // (#q=…&tier=1&decision=not-approved&sort=tier&dir=desc&page=2).

  var STATE_KEYS = ["q", "tier", "status", "decision", "kind", "severity", "eos", "sort", "dir", "page"];

  function readHash() {
    var state = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var at = pair.indexOf("=");
      try {
        var k = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
        var v = at < 0 ? "" : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, " "));
        if (STATE_KEYS.indexOf(k) >= 0) { state[k] = v; }
      } catch (e) { /* a malformed pair is ignored */ }
    });
    return state;
  }

  function hashOf(state, keep) {
    return STATE_KEYS.filter(function (k) {
      return (state[k] !== undefined && state[k] !== "") || (k === keep && state[k] !== undefined);
    }).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(state[k]);
    }).join("&");
  }

  // A data script's href: site-root-relative, or "~SLUG#x" for
  // vendors/SLUG/index.html#x (src/render/table.rs, shorten).
  function hrefOf(h) {
    if (h.charAt(0) !== "~") { return root + h; }
    var at = h.indexOf("#");
    return root + "vendors/" + (at < 0 ? h.slice(1) : h.slice(1, at)) + "/index.html" + (at < 0 ? "" : h.slice(at));
  }

  function addPart(parent, p) {
    if (typeof p === "string") { parent.appendChild(doc.createTextNode(p)); return; }
    var kind = p[0];
    if (kind === "ba") {
      var link = doc.createElement("a");
      link.href = hrefOf(p[4]);
      link.className = "badge badge-" + p[2];
      link.textContent = p[1];
      parent.appendChild(link);
      return;
    }
    var el = doc.createElement(kind === "a" || kind === "c" ? "a" : kind === "d" ? "time" : kind === "k" ? "code" : "span");
    if (kind === "k") {
      el.textContent = p[1];
    } else if (kind === "a" || kind === "c") {
      el.href = hrefOf(p[2]);
      if (kind === "c") {
        var mono = doc.createElement("span");
        mono.className = "mono";
        mono.textContent = p[1];
        el.appendChild(mono);
      } else { el.textContent = p[1]; }
    } else if (kind === "b") {
      el.className = "badge badge-" + p[2];
      el.setAttribute("data-status", p[3]);
      el.textContent = p[1];
    } else if (kind === "t") {
      el.className = "tier tier-" + p[3];
      el.title = "Tier " + p[3] + ": " + p[2];
      el.textContent = p[1];
      var name = doc.createElement("span");
      name.className = "visually-hidden";
      name.textContent = " " + p[2];
      el.appendChild(name);
    } else if (kind === "d") {
      el.setAttribute("datetime", p[1]);
      el.textContent = p[1];
    } else {
      el.className = kind === "m" ? "muted" : "cell-sub";
      el.textContent = p[1];
    }
    parent.appendChild(el);
  }

  function partsText(parts) {
    return parts.map(function (p) { return typeof p === "string" ? p : p[1]; }).join("");
  }

  function setupTable(table) {
    var name = table.getAttribute("data-table");
    var body = table.tBodies[0];
    var size = parseInt(table.getAttribute("data-page-size"), 10) || 100;
    var form = doc.querySelector('form.filters[data-filter-for="' + name + '"]');
    var count = doc.querySelector('[data-count="' + name + '"]');
    var pager = doc.querySelector('nav[data-pager-for="' + name + '"]');
    var more = doc.querySelector('[data-more-for="' + name + '"]');
    var facetKey = table.getAttribute("data-facet-key");
    var controls = form ? Array.prototype.slice.call(form.querySelectorAll("[data-filter]")) : [];
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells).filter(function (th) {
      return th.hasAttribute("data-sort-key");
    });
    var basePage = parseInt(table.getAttribute("data-page"), 10) || 1;
    var data = null, hay = [], requested = false, state = {};
    // Speed at 10,000 rows (#15): each row's lower-cased text is computed
    // once; each sort order once (orders); a row's <tr> is built once (built,
    // with its mobile labels) and kept in place while it stays shown; the
    // pager, count and hash are touched only when they change, the hash after
    // the frame is painted.
    var names = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent.trim(); });
    var orders = {}, built = {}, builtCount = 0, shown = null, pagerSaid = "";
    var writeLater = afterPaint(function () {
      var h = hashOf(state, facetKey);
      history.replaceState(null, "", h ? "#" + h : window.location.pathname + window.location.search);
    });

    // then() once the rows are loaded; asked again while they load, only the
    // latest then() runs (each one draws the current state).
    var waiting = null;
    function load(then) {
      if (data) { then(); return; }
      waiting = then;
      var ready = function () {
        data = window.VETTED_ROWS && window.VETTED_ROWS[name];
        if (!data) { return; }
        // A number where a part goes is an index into data.parts (repeated parts).
        var shared = data.parts || [];
        data.rows.forEach(function (r) {
          r[3] = r[3].map(function (c) { return c.map(function (p) { return typeof p === "number" ? shared[p] : p; }); });
        });
        hay = data.rows.map(function (r) { return r[3].map(partsText).join(" ").toLowerCase(); });
        var next = waiting;
        waiting = null;
        if (next) { next(); }
      };
      if (window.VETTED_ROWS && window.VETTED_ROWS[name]) { ready(); return; }
      if (requested) { return; }
      requested = true;
      var script = doc.createElement("script");
      script.src = table.getAttribute("data-rows");
      script.onload = ready;
      script.onerror = function () { if (count) { count.textContent = "The table's data could not be loaded."; } };
      doc.head.appendChild(script);
    }

    function readState() {
      state = readHash();
      if (facetKey && state[facetKey] === undefined) { state[facetKey] = table.getAttribute("data-facet-value"); }
      controls.forEach(function (c) { c.value = state[c.getAttribute("data-filter")] || ""; });
    }

    function matching() {
      var words = (state.q || "").toLowerCase().split(/\s+/).filter(Boolean);
      // A row's filter value is a list of tokens; a wanted value matches one
      // of them. data.before: a wanted number matches a token number below
      // it. data.pairs [a, b, f]: with a and b both wanted, "a:b" must be one
      // token of filter f (kind and status in the same evidence cell).
      var pairs = (data.pairs || []).filter(function (p) { return state[p[0]] && state[p[1]]; });
      var paired = {};
      pairs.forEach(function (p) { paired[p[0]] = true; paired[p[1]] = true; });
      var before = data.before || [];
      var checks = data.filters.map(function (k, j) {
        var v = state[k] || "";
        var test = before.indexOf(k) >= 0 && /^[0-9]+$/.test(v) ? Number(v) : null;
        return [j, v, test];
      }).filter(function (c) { return c[1] && !paired[data.filters[c[0]]]; });
      pairs.forEach(function (p) { checks.push([data.filters.indexOf(p[2]), state[p[0]] + ":" + state[p[1]], null]); });
      function hit(value, c) {
        var tokens = (value || "").split(" ");
        if (c[2] === null) { return tokens.indexOf(c[1]) >= 0; }
        return tokens.some(function (t) { return /^[0-9]+$/.test(t) && Number(t) < c[2]; });
      }
      var out = [];
      var order = orderOf(data.sort.indexOf(state.sort || ""), state.dir === "desc" ? -1 : 1);
      for (var o = 0; o < order.length; o += 1) {
        var i = order[o], r = data.rows[i], h = hay[i], ok = true;
        for (var w = 0; w < words.length && ok; w += 1) { ok = h.indexOf(words[w]) >= 0; }
        for (var c = 0; c < checks.length && ok; c += 1) { ok = hit(r[2][checks[c][0]], checks[c]); }
        if (ok) { out.push(i); }
      }
      return out;
    }

    // Row indexes in the order of sort column col (-1: the data's order),
    // ties in the data's order; computed once per column and direction.
    function orderOf(col, sign) {
      var id = col < 0 ? "" : col + ":" + sign;
      if (orders[id]) { return orders[id]; }
      var out = data.rows.map(function (r, i) { return i; });
      if (col >= 0) {
        out.sort(function (a, b) {
          var x = data.rows[a][1][col], y = data.rows[b][1][col];
          return (x < y ? -sign : x > y ? sign : 0) || a - b;
        });
      }
      orders[id] = out;
      return out;
    }

    // Row i's <tr>, built once (at most 5,000 kept).
    function rowAt(i) {
      if (built[i]) { return built[i]; }
      if (builtCount >= 5000) { built = {}; builtCount = 0; (shown || []).forEach(function (j) { built[j] = shown.tr[j]; }); }
      var tr = rowOf(data.rows[i]);
      built[i] = tr;
      builtCount += 1;
      return tr;
    }

    function rowOf(r) {
      var tr = doc.createElement("tr");
      tr.setAttribute("data-key", r[0]);
      data.filters.forEach(function (k, j) { tr.setAttribute("data-" + k, r[2][j]); });
      r[3].forEach(function (parts, c) {
        var spec = data.cells[c] || ["td", ""];
        var cell = doc.createElement(spec[0]);
        if (spec[0] === "th") { cell.scope = "row"; }
        if (spec[1]) { cell.className = spec[1]; }
        if (names[c]) { cell.setAttribute("data-label", names[c]); }
        parts.forEach(function (p) { addPart(cell, p); });
        tr.appendChild(cell);
      });
      return tr;
    }

    function pageLink(n, label, rel, current) {
      var li = doc.createElement("li");
      var s = {};
      STATE_KEYS.forEach(function (k) { s[k] = state[k]; });
      s.page = n > 1 ? String(n) : "";
      var a = doc.createElement("a");
      a.href = "#" + hashOf(s, facetKey);
      a.textContent = label;
      if (rel) { a.rel = rel; }
      if (current) { a.setAttribute("aria-current", "page"); }
      li.appendChild(a);
      return li;
    }

    function drawPager(page, pages) {
      if (!pager) { return; }
      var ul = doc.createElement("ul");
      if (page > 1) { ul.appendChild(pageLink(page - 1, "Previous", "prev")); }
      var last = 0;
      for (var p = 1; p <= pages; p += 1) {
        if (p === 1 || p === pages || Math.abs(p - page) <= 2) {
          if (p > last + 1) {
            var gap = doc.createElement("li");
            gap.textContent = "…";
            ul.appendChild(gap);
          }
          ul.appendChild(pageLink(p, String(p), "", p === page));
          last = p;
        }
      }
      if (page < pages) { ul.appendChild(pageLink(page + 1, "Next", "next")); }
      while (pager.firstChild) { pager.removeChild(pager.firstChild); }
      pager.appendChild(ul);
      pager.hidden = pages < 2;
    }

    function apply(write) {
      var found = matching();
      var pages = Math.max(1, Math.ceil(found.length / size));
      var page = Math.min(Math.max(parseInt(state.page, 10) || basePage, 1), pages);
      showRows(found.slice((page - 1) * size, page * size));
      var pagerNow = page + "/" + pages + "/" + hashOf(state, facetKey);
      if (pagerNow !== pagerSaid) { drawPager(page, pages); pagerSaid = pagerNow; }
      if (more && !more.hidden) { more.hidden = true; }
      heads.forEach(function (th) {
        var want = th.getAttribute("data-sort-key") === state.sort ? (state.dir === "desc" ? "descending" : "ascending") : null;
        if (th.getAttribute("aria-sort") === want) { return; }
        if (want) { th.setAttribute("aria-sort", want); } else { th.removeAttribute("aria-sort"); }
      });
      if (count) {
        var said = found.length + " of " + data.rows.length + " shown" +
          (pages > 1 ? " · rows " + ((page - 1) * size + 1) + "–" + Math.min(page * size, found.length) : "");
        if (count.textContent !== said) {
          count.setAttribute("data-shown", String(found.length));
          count.setAttribute("data-total", String(data.rows.length));
          count.textContent = said;
        }
      }
      if (write) { writeLater(); }
    }

    // The body shows rows `want` (indexes), in order. Nothing is touched when
    // the window is the same; when most rows stay and few go (a narrowing
    // filter), the others are removed or inserted around them; otherwise the
    // <tbody> is swapped for a new one (one removal from the page, not one per
    // row: removing rows one by one costs more than drawing them).
    function showRows(want) {
      if (shown && shown.length === want.length && shown.every(function (i, k) { return i === want[k]; })) { return; }
      var keep = {}, kept = 0, trs = {};
      want.forEach(function (i) { keep[i] = true; });
      (shown || []).forEach(function (i) { if (keep[i]) { kept += 1; } });
      if (!shown || shown.length - kept > 10 || kept * 2 < want.length) {
        var fresh = body.cloneNode(false);
        table.replaceChild(fresh, body);
        body = fresh;
        var frag = doc.createDocumentFragment();
        want.forEach(function (i) { trs[i] = rowAt(i); frag.appendChild(trs[i]); });
        body.appendChild(frag);
      } else {
        shown.forEach(function (i) { if (!keep[i]) { body.removeChild(shown.tr[i]); } });
        var at = body.firstChild;
        want.forEach(function (i) {
          var tr = trs[i] = rowAt(i);
          if (tr === at) { at = at.nextSibling; } else { body.insertBefore(tr, at); }
        });
      }
      shown = want;
      shown.tr = trs;
    }

    function changed() {
      basePage = 1;
      delete state.page;
      load(function () { apply(true); });
    }

    controls.forEach(function (c) {
      var k = c.getAttribute("data-filter");
      var on = function () { state[k] = c.value; changed(); };
      c.addEventListener("input", on);
      c.addEventListener("change", on);
    });
    if (form) {
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      form.hidden = false;
    }
    // The rows start loading when a control or a column heading is about to
    // be used, so the first keystroke or click does not wait for them.
    var early = function () { if (!data && !requested) { load(null); } };
    if (form) { form.addEventListener("focusin", early); }
    table.tHead.addEventListener("pointerover", early);
    table.tHead.addEventListener("focusin", early);
    heads.forEach(function (th) {
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var key = th.getAttribute("data-sort-key");
        state.dir = state.sort === key && state.dir !== "desc" ? "desc" : "asc";
        state.sort = key;
        // Said at once; the rows follow when rows.js has loaded.
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
        changed();
      });
    });
    window.addEventListener("hashchange", function () {
      readState();
      load(function () { apply(false); });
    });
    readState();
    var stateful = STATE_KEYS.some(function (k) { return k !== facetKey && state[k]; });
    if (stateful) { load(function () { apply(false); }); }
  }

  each(doc.querySelectorAll("table[data-table][data-rows]"), setupTable);
  each(doc.querySelectorAll("table.sortable"), makeSortable);
  each(doc.querySelectorAll("form.filters[data-filter-for]"), setupFilters);
  // The header's search form is built here (no page ships its markup): the
  // index is search/_.js under the site root (body data-root).
  function searchForm() {
    var inner = doc.querySelector(".site-header .header-inner");
    if (!inner || doc.getElementById("search-input")) { return; }
    var el = function (tag, props, attrs) {
      var n = doc.createElement(tag);
      Object.keys(props || {}).forEach(function (k) { n[k] = props[k]; });
      Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
      return n;
    };
    var form = el("form", { className: "search", action: "#" }, { role: "search", "data-index": root + "search/_.js" });
    form.appendChild(el("label", { className: "visually-hidden", htmlFor: "search-input",
      textContent: "Search vendors, products, subprocessors, findings, evidence and questions" }));
    form.appendChild(el("input", { id: "search-input", type: "search", placeholder: "Search vendors, products, evidence\u2026",
      autocomplete: "off", spellcheck: false }, { "aria-controls": "search-results", "aria-describedby": "search-help" }));
    form.appendChild(el("span", { id: "search-help", className: "visually-hidden",
      textContent: "Results appear below as you type; press Tab to reach them, Escape to close." }));
    var box = el("div", { id: "search-results", className: "search-results", hidden: true });
    box.appendChild(el("p", { className: "search-status" }, { role: "status", "aria-live": "polite" }));
    box.appendChild(el("ul"));
    form.appendChild(box);
    inner.appendChild(form);
  }
  searchForm();
  each(doc.querySelectorAll("form.search[data-index]"), setupSearch);
}());
