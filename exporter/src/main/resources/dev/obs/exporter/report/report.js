"use strict";
/*
 * obs report: draws the embedded data (the models `obs metrics --json` and `obs traces --json` print) as
 * hand-written SVG charts, sortable tables and trace waterfalls. No library, no network: everything it shows
 * comes from the JSON block in this file. Text from the data is only ever set as textContent.
 */
(function () {
  var SVGNS = "http://www.w3.org/2000/svg";
  var FAMILY_COLORS = { git: "#e8590c", fs: "#2f6fdf", docker: "#1d91e6", process: "#7b61c9", methods: "#2f9e6e",
    sync: "#c9702d", maven: "#b04a7a", obs: "#616e7c", container: "#1d91e6" };
  var OTHER_COLORS = ["#2f6fdf", "#e8912d", "#2f9e6e", "#7b61c9", "#d64545", "#1d91e6", "#b04a7a", "#8a9a2b"];

  // ---------- small DOM helpers ----------
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (attrs[k] == null) continue;
        if (k === "text") e.textContent = attrs[k];
        else if (k === "cls") e.className = attrs[k];
        else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), attrs[k]);
        else e.setAttribute(k, attrs[k]);
      }
    }
    for (var i = 2; i < arguments.length; i++) append(e, arguments[i]);
    return e;
  }
  function append(parent, child) {
    if (child == null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(parent, c); }); return; }
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs || {}) {
      if (k === "text") e.textContent = attrs[k]; else if (attrs[k] != null) e.setAttribute(k, attrs[k]);
    }
    return e;
  }
  function familyColor(f, i) { return FAMILY_COLORS[f] || OTHER_COLORS[(i || 0) % OTHER_COLORS.length]; }
  function famBadge(f) { return el("span", { cls: "fam", style: "background:" + familyColor(f), text: f }); }

  // ---------- number and time formats (units always shown) ----------
  function fmtCount(n) {
    if (n == null || isNaN(n)) return "–";
    if (Math.abs(n) >= 1e9) return (n / 1e9).toFixed(n >= 1e10 ? 0 : 1) + " G";
    if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(n >= 1e7 ? 0 : 1) + " M";
    if (Math.abs(n) >= 1e4) return (n / 1e3).toFixed(n >= 1e5 ? 0 : 1) + " k";
    return Math.round(n) === n ? String(n) : n.toFixed(Math.abs(n) < 10 ? 2 : 1);
  }
  function fmtExact(n) { return n == null ? "–" : Number(n).toLocaleString("en-US"); }
  function fmtRate(r) {
    if (r == null || isNaN(r)) return "–";
    if (r === 0) return "0/s";
    if (r < 0.01) return (r * 60).toPrecision(2) + "/min";
    return (r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)) + "/s";
  }
  /** ms in, "850 µs", "12.3 ms", "1.24 s", "2 m 05 s" out. */
  function fmtMs(ms) {
    if (ms == null || isNaN(ms)) return "–";
    if (ms === 0) return "0";
    if (ms < 1) return trimZeros((ms * 1000).toPrecision(3)) + " µs";
    if (ms < 1000) return (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)) + " ms";
    var s = ms / 1000;
    if (s < 60) return (s < 10 ? s.toFixed(2) : s.toFixed(1)) + " s";
    var m = Math.floor(s / 60);
    return m + " m " + String(Math.round(s - m * 60)).padStart(2, "0") + " s";
  }
  /** "20.0" -> "20", "0.150" -> "0.15", "100" stays. */
  function trimZeros(text) {
    return text.indexOf(".") < 0 ? text : text.replace(/0+$/, "").replace(/\.$/, "");
  }
  /** An axis label: the value formatted, without the zeros that only make sense for a single reading. */
  function axisLabel(fmt, v) {
    return fmt(v).replace(/^(-?\d+\.\d*?)0+(?=[^\d]|$)/, "$1").replace(/^(-?\d+)\.(?=[^\d]|$)/, "$1");
  }
  function fmtStep(ms) {
    if (ms % 3600000 === 0) return ms / 3600000 + " h";
    if (ms % 60000 === 0) return ms / 60000 + " min";
    if (ms % 1000 === 0) return ms / 1000 + " s";
    return fmtMs(ms);
  }
  function fmtBytes(b) {
    if (b == null || isNaN(b)) return "–";
    var u = ["B", "KiB", "MiB", "GiB", "TiB"], i = 0, v = b;
    while (Math.abs(v) >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return (i === 0 ? String(Math.round(v)) : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)) + " " + u[i];
  }
  function pad2(n) { return String(n).padStart(2, "0"); }
  function fmtClock(ms, withSeconds) {
    var d = new Date(ms);
    return pad2(d.getHours()) + ":" + pad2(d.getMinutes()) + (withSeconds ? ":" + pad2(d.getSeconds()) : "");
  }
  function fmtDate(ms) {
    var d = new Date(ms);
    return d.getFullYear() + "-" + pad2(d.getMonth() + 1) + "-" + pad2(d.getDate()) + " " + fmtClock(ms, true);
  }
  function fmtSpan(ms) {
    var s = ms / 1000;
    if (s < 120) return Math.round(s) + " s";
    if (s < 7200) return Math.round(s / 60) + " min";
    if (s < 172800) return (s / 3600).toFixed(1).replace(/\.0$/, "") + " h";
    return (s / 86400).toFixed(1).replace(/\.0$/, "") + " d";
  }

  // ---------- axes ----------
  function niceStep(range, target) {
    var raw = range / Math.max(1, target), mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
  }
  function niceTicks(max, target) {
    if (!(max > 0)) max = 1;
    var step = niceStep(max, target || 4), top = Math.ceil(max / step - 1e-9) * step, ticks = [];
    for (var v = 0; v <= top + step / 2; v += step) ticks.push(v);
    return ticks;
  }
  var TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400]
    .map(function (s) { return s * 1000; });
  function timeTicks(t0, t1, target) {
    var step = TIME_STEPS[TIME_STEPS.length - 1];
    for (var i = 0; i < TIME_STEPS.length; i++) {
      if ((t1 - t0) / TIME_STEPS[i] <= target) { step = TIME_STEPS[i]; break; }
    }
    var tz = new Date(t0).getTimezoneOffset() * 60000, ticks = [];
    for (var t = Math.ceil((t0 - tz) / step) * step + tz; t <= t1; t += step) ticks.push(t);
    return { ticks: ticks, seconds: step < 60000 };
  }

  // ---------- the line chart ----------
  /**
   * series: [{name, color, values: [number|null per bucket], dash}]; times: bucket starts (ms), step: bucket
   * width (ms); fmt: value formatter for axis and tooltip.
   */
  function lineChart(opts) {
    var W = 560, H = 190, L = 58, R = 12, T = 10, B = 24;
    var wrap = el("div", { cls: "chart" });
    var legend = el("span", { cls: "legend" }, opts.series.map(function (s) {
      return el("span", null, el("i", { style: "background:" + s.color }), s.name);
    }));
    wrap.appendChild(el("div", { cls: "title" }, el("span", { text: opts.title }), legend));
    var max = 0;
    opts.series.forEach(function (s) { s.values.forEach(function (v) { if (v != null && v > max) max = v; }); });
    var ticks = niceTicks(max, 4), top = ticks[ticks.length - 1];
    var t0 = opts.times[0], t1 = opts.times[opts.times.length - 1] + opts.step;
    var x = function (t) { return L + (t - t0) / (t1 - t0) * (W - L - R); };
    var y = function (v) { return T + (1 - v / top) * (H - T - B); };
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": opts.title });
    ticks.forEach(function (v) {
      root.appendChild(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), "class": v === 0 ? "axis" : "gridline" }));
      root.appendChild(svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", text: axisLabel(opts.fmt, v) }));
    });
    var tt = timeTicks(t0, t1, 6);
    tt.ticks.forEach(function (t) {
      root.appendChild(svg("line", { x1: x(t), x2: x(t), y1: H - B, y2: H - B + 4, "class": "axis" }));
      root.appendChild(svg("text", { x: x(t), y: H - 6, "text-anchor": "middle", text: fmtClock(t, tt.seconds) }));
    });
    var points = 0;
    opts.series.forEach(function (s) { s.values.forEach(function (v) { if (v != null) points++; }); });
    var dots = points / opts.series.length <= 40;
    opts.series.forEach(function (s) {
      var d = "", pen = false, lone = [];
      s.values.forEach(function (v, i) {
        var cx = x(opts.times[i] + opts.step / 2);
        if (v == null) { pen = false; return; }
        var prev = i > 0 ? s.values[i - 1] : null, next = i + 1 < s.values.length ? s.values[i + 1] : null;
        if (dots || (prev == null && next == null)) lone.push([cx, y(v)]);
        d += (pen ? "L" : "M") + cx.toFixed(1) + " " + y(v).toFixed(1) + " ";
        pen = true;
      });
      if (d) root.appendChild(svg("path", { d: d, "class": "series", stroke: s.color,
        "stroke-dasharray": s.dash || null }));
      lone.forEach(function (p) { root.appendChild(svg("circle", { cx: p[0], cy: p[1], r: 2.5, fill: s.color })); });
    });
    var cross = svg("line", { "class": "cross", y1: T, y2: H - B, visibility: "hidden" });
    root.appendChild(cross);
    var hit = svg("rect", { x: L, y: T, width: W - L - R, height: H - T - B, fill: "transparent" });
    root.appendChild(hit);
    wrap.appendChild(root);
    var tip = el("div", { cls: "tip", style: "display:none" });
    wrap.appendChild(tip);
    hit.addEventListener("mousemove", function (ev) {
      var box = root.getBoundingClientRect(), scale = W / box.width;
      var px = (ev.clientX - box.left) * scale;
      var i = Math.max(0, Math.min(opts.times.length - 1, Math.floor((px - L) / (W - L - R) * opts.times.length)));
      var cx = x(opts.times[i] + opts.step / 2);
      cross.setAttribute("x1", cx); cross.setAttribute("x2", cx); cross.setAttribute("visibility", "visible");
      tip.textContent = "";
      tip.appendChild(el("div", null, el("b", { text: fmtClock(opts.times[i], true) + " – "
        + fmtClock(opts.times[i] + opts.step, true) })));
      opts.series.forEach(function (s) {
        tip.appendChild(el("div", null, el("span", { style: "color:" + s.color, text: "● " }),
          s.name + ": " + (s.values[i] == null ? "no data" : opts.fmt(s.values[i]))));
      });
      tip.style.display = "block";
      var left = cx / scale + 12;
      tip.style.left = (left + 170 > box.width ? cx / scale - 180 : left) + "px";
      tip.style.top = "24px";
    });
    hit.addEventListener("mouseleave", function () {
      tip.style.display = "none"; cross.setAttribute("visibility", "hidden");
    });
    return wrap;
  }

  // ---------- horizontal bars ----------
  /** rows: [{label, parts: [{value, color, name}], text}]; one scale for all rows. */
  function hbars(rows) {
    var max = 0;
    rows.forEach(function (r) {
      var sum = r.parts.reduce(function (a, p) { return a + (p.value || 0); }, 0);
      if (sum > max) max = sum;
    });
    return el("div", null, rows.map(function (r) {
      var track = el("div", { cls: "track" }, r.parts.map(function (p) {
        return el("span", { style: "width:" + (max > 0 ? (100 * (p.value || 0) / max) : 0) + "%;background:" + p.color,
          title: p.name + ": " + p.title });
      }));
      return el("div", { cls: "hbar" }, el("span", { cls: "lbl", title: r.label, text: r.label }), track,
        el("span", { cls: "val", text: r.text }));
    }));
  }

  // ---------- sortable table ----------
  /**
   * columns: [{key, label, num, fmt(row) -> text|node, value(row) -> sortable, cls(row)}]; rows: objects.
   */
  function sortableTable(columns, rows, initial, id) {
    var table = el("table", { id: id });
    var thead = el("thead"), tbody = el("tbody"), headRow = el("tr");
    var state = { key: initial.key, dir: initial.dir };
    columns.forEach(function (c) {
      var th = el("th", { cls: "sortable" + (c.num ? " num" : ""), text: c.label, "data-key": c.key,
        title: "sort by " + c.label });
      th.addEventListener("click", function () {
        if (state.key === c.key) state.dir = state.dir === "asc" ? "desc" : "asc";
        else { state.key = c.key; state.dir = c.num ? "desc" : "asc"; }
        draw();
      });
      headRow.appendChild(th);
    });
    thead.appendChild(headRow);
    table.appendChild(thead);
    table.appendChild(tbody);
    var filter = function () { return true; };
    function draw() {
      var col = columns.filter(function (c) { return c.key === state.key; })[0];
      var sorted = rows.filter(function (r) { return filter(r); }).sort(function (a, b) {
        var va = col.value(a), vb = col.value(b);
        if (va == null && vb == null) return 0;
        if (va == null) return 1;
        if (vb == null) return -1;
        var c = typeof va === "string" ? va.localeCompare(vb) : va - vb;
        return state.dir === "asc" ? c : -c;
      });
      Array.prototype.forEach.call(headRow.children, function (th) {
        th.classList.remove("sorted-asc", "sorted-desc");
        if (th.getAttribute("data-key") === state.key) th.classList.add("sorted-" + state.dir);
      });
      tbody.textContent = "";
      sorted.forEach(function (r) {
        var tr = el("tr");
        columns.forEach(function (c) {
          var v = c.fmt(r);
          tr.appendChild(el("td", { cls: (c.num ? "num " : "") + (c.cls ? c.cls(r) || "" : ""), "data-col": c.key,
            "data-value": c.value(r) == null ? "" : String(c.value(r)) }, v));
        });
        tbody.appendChild(tr);
      });
      if (!sorted.length) {
        tbody.appendChild(el("tr", null, el("td", { colspan: columns.length, cls: "zero", text: "nothing matches" })));
      }
    }
    draw();
    table.setFilter = function (f) { filter = f; draw(); };
    return table;
  }

  function section(id, title, sub) {
    var s = el("section", { id: id }, el("div", { cls: "head" }, el("h2", { text: title }),
      el("span", { cls: "sub", text: sub || "" })));
    return s;
  }
  function empty(text) { return el("div", { cls: "empty", text: text }); }

  // ---------- the sections ----------
  function header(M) {
    var top = document.getElementById("top");
    var sub = fmtDate(M.window.since) + " → " + fmtDate(M.window.until) + "  (" + fmtSpan(M.window.until - M.window.since)
      + ")" + (M.services.length ? " · service " + M.services.join(", ") : "") + " · store " + M.store;
    var ops = M.ops.reduce(function (a, o) { return a + o.count; }, 0);
    var errs = M.ops.reduce(function (a, o) { return a + o.errors; }, 0);
    var dropped = Object.keys(M.health.dropped).reduce(function (a, k) { return a + M.health.dropped[k]; }, 0);
    var fams = {};
    M.ops.forEach(function (o) { fams[o.family] = true; });
    top.appendChild(el("h1", null, el("span", { cls: "brand", text: "obs" }), " report"));
    top.appendChild(el("div", { cls: "sub", id: "window", text: sub }));
    top.appendChild(el("div", { cls: "tiles" },
      tile("operations", fmtExact(ops), null, "tile-operations"),
      tile("errors", fmtExact(errs) + (ops ? "  (" + (100 * errs / ops).toFixed(errs && errs * 1000 < ops ? 2 : 1) + " %)" : ""),
        errs ? "bad" : "good", "tile-errors"),
      tile("families", Object.keys(fams).length ? Object.keys(fams).sort().join(" · ") : "none", "small", "tile-families"),
      tile("traces shown", fmtExact(M.traces.slowest.length) + " slowest · " + fmtExact(M.traces.failed.length) + " failed",
        "small", "tile-traces"),
      tile("records dropped by obs", fmtExact(dropped), dropped ? "bad" : "good", "tile-dropped")));
    document.title = "obs report · " + fmtDate(M.window.since) + " – " + fmtClock(M.window.until, true);
    var toc = document.getElementById("toc");
    [["timeline", "Over time"], ["operations", "Operations"], ["traces", "Traces"], ["fs", "File system"],
      ["containers", "Containers"], ["health", "obs health"]].forEach(function (p) {
      toc.appendChild(el("a", { href: "#" + p[0], text: p[1] }));
    });
  }
  function tile(k, v, cls, id) {
    return el("div", { cls: "tile" + (cls ? " " + cls : ""), id: id }, el("div", { cls: "v", text: v }),
      el("div", { cls: "k", text: k }));
  }

  function timeline(M) {
    var s = section("timeline", "Over time", "per family: operations per second and latency percentiles, in buckets of "
      + fmtStep(M.timeline.step));
    var fams = Object.keys(M.timeline.families).sort();
    if (!fams.length || !M.timeline.times.length) {
      s.appendChild(empty("No operations in this window: nothing to chart."));
      return s;
    }
    fams.forEach(function (f, i) {
      var F = M.timeline.families[f];
      var total = F.count.reduce(function (a, v) { return a + (v || 0); }, 0);
      var card = el("div", { cls: "card family", "data-family": f },
        el("h3", null, famBadge(f), el("span", { cls: "sub", text: fmtExact(total) + " operations" })));
      var step = M.timeline.step / 1000;
      var grid = el("div", { cls: "grid2" });
      grid.appendChild(lineChart({ title: "operations per second", times: M.timeline.times, step: M.timeline.step,
        fmt: fmtRate, series: [
          { name: "operations", color: familyColor(f, i), values: F.count.map(function (c) { return c == null ? null : c / step; }) },
          { name: "errors", color: "#b42318", dash: "4 3", values: F.errors.map(function (c) { return c == null ? null : c / step; }) }] }));
      grid.appendChild(lineChart({ title: "latency", times: M.timeline.times, step: M.timeline.step, fmt: fmtMs,
        series: [{ name: "p50", color: "#2f6fdf", values: F.p50 }, { name: "p95", color: "#e8912d", values: F.p95 },
          { name: "p99", color: "#d64545", values: F.p99 }] }));
      card.appendChild(grid);
      s.appendChild(card);
    });
    return s;
  }

  function operations(M) {
    var s = section("operations", "Operations", "the window's totals, as `obs metrics` shows them; click a column to sort");
    if (!M.ops.length) { s.appendChild(empty("No operations recorded in this window.")); return s; }
    var maxP99 = M.ops.reduce(function (a, o) { return Math.max(a, o.p99 || 0); }, 0);
    var num = function (key, label, fmt) {
      return { key: key, label: label, num: true, value: function (r) { return r[key]; },
        fmt: function (r) { return fmt(r[key]); }, cls: function (r) { return r[key] === 0 ? "zero" : ""; } };
    };
    var cols = [
      { key: "family", label: "family", value: function (r) { return r.family; }, fmt: function (r) { return famBadge(r.family); } },
      { key: "operation", label: "operation", value: function (r) { return r.operation; }, fmt: function (r) { return r.operation; } },
      num("count", "count", fmtExact),
      { key: "errors", label: "errors", num: true, value: function (r) { return r.errors; },
        fmt: function (r) { return fmtExact(r.errors); }, cls: function (r) { return r.errors ? "err" : "zero"; } },
      num("rate", "rate", fmtRate),
      num("p50", "p50", fmtMs), num("p95", "p95", fmtMs),
      { key: "p99", label: "p99", num: true, value: function (r) { return r.p99; }, fmt: function (r) {
        return [el("span", { cls: "lat", style: "width:" + (maxP99 ? Math.max(1, 60 * (r.p99 || 0) / maxP99) : 0) + "px" }),
          fmtMs(r.p99)];
      } },
      num("max", "max", fmtMs),
      num("bytes", "bytes", fmtBytes)];
    var table = sortableTable(cols, M.ops, { key: "count", dir: "desc" }, "ops-table");
    var fams = {};
    M.ops.forEach(function (o) { fams[o.family] = true; });
    var chosen = null, text = "";
    var input = el("input", { type: "search", placeholder: "filter operations…", "aria-label": "filter operations" });
    function refilter() {
      table.setFilter(function (r) {
        return (!chosen || r.family === chosen) && (!text || (r.family + " " + r.operation).toLowerCase().indexOf(text) >= 0);
      });
    }
    input.addEventListener("input", function () { text = input.value.trim().toLowerCase(); refilter(); });
    var chips = [el("button", { cls: "chip on", text: "all" })].concat(Object.keys(fams).sort().map(function (f) {
      return el("button", { cls: "chip", text: f, "data-family": f });
    }));
    chips.forEach(function (c) {
      c.addEventListener("click", function () {
        chosen = c.getAttribute("data-family");
        chips.forEach(function (o) { o.classList.toggle("on", o === c); });
        refilter();
      });
    });
    s.appendChild(el("div", { cls: "toolbar" }, input, chips));
    s.appendChild(table);
    s.appendChild(el("div", { cls: "note", text: "rate: count over the window's " + fmtSpan(M.window.until - M.window.since)
      + "; latencies from obs's histograms (exact counts; percentiles within a bucket's width)." }));
    return s;
  }

  function traces(M) {
    var s = section("traces", "Traces", "click a trace to open its waterfall; click a span for its attributes");
    var tabs = el("div", { cls: "tabs" });
    var body = el("div");
    var lists = [["slowest", "Slowest", M.traces.slowest], ["failed", "Failed", M.traces.failed]];
    var buttons = lists.map(function (l, i) {
      var b = el("button", { cls: "chip" + (i === 0 ? " on" : ""), id: "tab-" + l[0], text: l[1] + " (" + l[2].length + ")" });
      b.addEventListener("click", function () {
        buttons.forEach(function (o) { o.classList.toggle("on", o === b); });
        show(l);
      });
      return b;
    });
    append(tabs, buttons);
    s.appendChild(tabs);
    s.appendChild(body);
    function show(l) {
      body.textContent = "";
      if (!l[2].length) {
        body.appendChild(empty(l[0] === "failed" ? "No failed traces in this window." : "No traces in this window."));
        return;
      }
      var maxDur = l[2].reduce(function (a, t) { return Math.max(a, t.duration); }, 0);
      var table = el("table", { cls: "traces", id: "traces-" + l[0] }, el("thead", null, el("tr", null,
        el("th", { text: "root span" }), el("th", { text: "service" }), el("th", { text: "started" }),
        el("th", { cls: "num", text: "spans" }), el("th", { text: "status" }), el("th", { cls: "num", text: "duration" }),
        el("th", { text: "" }))));
      var tb = el("tbody");
      l[2].forEach(function (t) {
        var errors = t.spans.filter(function (sp) { return sp.error; }).length;
        var tr = el("tr", { cls: "trace", "data-trace": t.traceId, tabindex: "0" },
          el("td", null, famBadge(t.family), t.root),
          el("td", { text: t.service || "" }),
          el("td", { cls: "mono", text: fmtDate(t.start) }),
          el("td", { cls: "num", text: String(t.spans.length) }),
          el("td", null, errors ? el("span", { cls: "status error", text: errors + " error" + (errors > 1 ? "s" : "") })
            : el("span", { cls: "status ok", text: "ok" })),
          el("td", { cls: "num", text: fmtMs(t.duration) }),
          el("td", null, el("span", { cls: "durbar", style: "width:" + Math.max(2, 120 * t.duration / (maxDur || 1)) + "px" })));
        var detail = null;
        var toggle = function () {
          if (detail) { detail.remove(); detail = null; tr.classList.remove("open"); return; }
          detail = el("tr", { cls: "detail" }, el("td", { colspan: 7 }, waterfall(t)));
          tr.after(detail);
          tr.classList.add("open");
        };
        tr.addEventListener("click", toggle);
        tr.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); } });
        tb.appendChild(tr);
      });
      table.appendChild(tb);
      body.appendChild(table);
    }
    show(lists[0]);
    return s;
  }

  /** The span tree of one trace: indented names, bars on the trace's time line, durations, attributes on click. */
  function waterfall(t) {
    var byId = {}, kids = {}, roots = [];
    t.spans.forEach(function (sp) { byId[sp.id] = sp; });
    t.spans.forEach(function (sp) {
      if (sp.parent && byId[sp.parent]) (kids[sp.parent] = kids[sp.parent] || []).push(sp); else roots.push(sp);
    });
    var order = function (a, b) { return a.start - b.start; };
    var t0 = Math.min.apply(null, t.spans.map(function (sp) { return sp.start; }));
    var t1 = Math.max.apply(null, t.spans.map(function (sp) { return sp.end; }));
    var total = Math.max(t1 - t0, 1e-6);
    var box = el("div", { cls: "waterfall", "data-trace": t.traceId });
    box.appendChild(el("div", { cls: "wf-scale" }, el("span", { text: "trace " + t.traceId }),
      el("span", { cls: "ticks" }, [0, 0.25, 0.5, 0.75, 1].map(function (f) { return el("span", { text: fmtMs(total * f) }); })),
      el("span", { text: "" })));
    function row(sp, depth) {
      var left = 100 * (sp.start - t0) / total, width = 100 * (sp.end - sp.start) / total;
      var r = el("div", { cls: "wf-row", "data-span": sp.id, title: sp.name },
        el("div", { cls: "wf-name", style: "padding-left:" + (depth * 14) + "px" },
          depth ? el("span", { cls: "tw", text: "└ " }) : null, sp.name,
          sp.error ? el("span", { cls: "status error", style: "margin-left:6px", text: "error" }) : null),
        el("div", { cls: "wf-track" }, el("div", { cls: "wf-bar" + (sp.error ? " error" : ""),
          style: "left:" + left.toFixed(3) + "%;width:" + Math.max(width, 0.15).toFixed(3) + "%" })),
        el("div", { cls: "wf-dur", text: fmtMs(sp.end - sp.start) }));
      var attrs = null;
      r.addEventListener("click", function () {
        if (attrs) { attrs.remove(); attrs = null; return; }
        var pairs = [["span id", sp.id], ["start", "+" + fmtMs(sp.start - t0)], ["duration", fmtMs(sp.end - sp.start)],
          ["status", sp.error ? "ERROR" + (sp.message ? ": " + sp.message : "") : "OK"]].concat(sp.attrs);
        attrs = el("div", { cls: "wf-attrs" }, pairs.map(function (p) {
          return [el("span", { cls: "k", text: p[0] }), el("span", { cls: "v", text: p[1] })];
        }));
        r.after(attrs);
      });
      box.appendChild(r);
      (kids[sp.id] || []).sort(order).forEach(function (k) { row(k, depth + 1); });
    }
    roots.sort(order).forEach(function (r) { row(r, 0); });
    return box;
  }

  function fileSystem(M) {
    var s = section("fs", "File system", "by group (obs.fs.groups): bytes and operations, exact");
    if (!M.fs.length) { s.appendChild(empty("No file-system operations in this window.")); return s; }
    var groups = {};
    M.fs.forEach(function (r) {
      var g = groups[r.group] = groups[r.group] || { group: r.group, read: 0, written: 0, ops: 0, errors: 0 };
      g.read += r.bytesRead || 0; g.written += r.bytesWritten || 0; g.ops += r.count || 0; g.errors += r.errors || 0;
    });
    var list = Object.keys(groups).map(function (k) { return groups[k]; })
      .sort(function (a, b) { return (b.read + b.written) - (a.read + a.written) || b.ops - a.ops; });
    var grid = el("div", { cls: "grid2" });
    grid.appendChild(el("div", { cls: "card" }, el("h3", null, "bytes by group ",
      el("span", { cls: "legend sub" }, el("span", null, el("i", { style: "background:var(--read)" }), "read"),
        el("span", null, el("i", { style: "background:var(--write)" }), "written"))),
      hbars(list.map(function (g) {
        return { label: g.group, text: fmtBytes(g.read) + " / " + fmtBytes(g.written), parts: [
          { value: g.read, color: "var(--read)", name: "read", title: fmtBytes(g.read) },
          { value: g.written, color: "var(--write)", name: "written", title: fmtBytes(g.written) }] };
      }))));
    grid.appendChild(el("div", { cls: "card" }, el("h3", { text: "operations by group" }),
      hbars(list.slice().sort(function (a, b) { return b.ops - a.ops; }).map(function (g) {
        return { label: g.group, text: fmtExact(g.ops) + (g.errors ? " · " + fmtExact(g.errors) + " err" : ""), parts: [
          { value: g.ops - g.errors, color: "var(--accent)", name: "ok", title: fmtExact(g.ops - g.errors) },
          { value: g.errors, color: "var(--error)", name: "errors", title: fmtExact(g.errors) }] };
      }))));
    s.appendChild(grid);
    var cols = [
      { key: "group", label: "group", value: function (r) { return r.group; }, fmt: function (r) { return r.group; } },
      { key: "operation", label: "operation", value: function (r) { return r.operation; }, fmt: function (r) { return r.operation; } }]
      .concat([["count", "count", fmtExact], ["errors", "errors", fmtExact], ["bytesRead", "read", fmtBytes],
        ["bytesWritten", "written", fmtBytes], ["p50", "p50", fmtMs], ["p99", "p99", fmtMs]].map(function (c) {
        return { key: c[0], label: c[1], num: true, value: function (r) { return r[c[0]]; },
          fmt: function (r) { return c[2](r[c[0]]); }, cls: function (r) { return r[c[0]] ? "" : "zero"; } };
      }));
    s.appendChild(el("div", { style: "margin-top:12px" }, sortableTable(cols, M.fs, { key: "count", dir: "desc" }, "fs-table")));
    return s;
  }

  function containers(M) {
    var s = section("containers", "Containers", "CPU and memory of the containers obs sampled");
    if (!M.containers.length) {
      s.appendChild(empty("No container samples in this window (obs samples containers when it runs inside one)."));
      return s;
    }
    var cols = [{ key: "name", label: "container", value: function (r) { return r.name; }, fmt: function (r) { return r.name; } }]
      .concat(M.containerColumns.map(function (c) {
        return { key: c.key, label: c.label, num: true, value: function (r) { return r[c.key]; },
          fmt: function (r) { return c.fmt(r[c.key]); } };
      }));
    s.appendChild(sortableTable(cols, M.containers, { key: "name", dir: "asc" }, "containers-table"));
    return s;
  }

  function health(M) {
    var s = section("health", "obs health", "what obs itself shed or failed to export in this window");
    var reasons = Object.keys(M.health.dropped).sort();
    var grid = el("div", { cls: "grid2" });
    var dropped = reasons.reduce(function (a, k) { return a + M.health.dropped[k]; }, 0);
    grid.appendChild(el("div", { cls: "card", id: "health-drops" }, el("h3", { text: "records dropped, by reason" }),
      reasons.length ? hbars(reasons.map(function (k) {
        return { label: k, text: fmtExact(M.health.dropped[k]), parts: [{ value: M.health.dropped[k],
          color: M.health.dropped[k] ? "var(--error)" : "var(--ok)", name: k, title: fmtExact(M.health.dropped[k]) }] };
      })) : null,
      el("div", { cls: "note", text: dropped ? "obs shed records: the counts above are exact, what was shed is counted here"
        : "nothing dropped: every record obs produced was exported" })));
    var facts = M.health.facts;
    grid.appendChild(el("div", { cls: "card", id: "health-export" }, el("h3", { text: "export" }),
      facts.length ? el("table", null, el("tbody", null, facts.map(function (f) {
        return el("tr", null, el("td", { text: f[0] }), el("td", { cls: "num" + (f[2] ? " err" : ""), text: f[1] }));
      }))) : empty("obs recorded no self-metrics in this window.")));
    s.appendChild(grid);
    return s;
  }

  // ---------- start ----------
  function main() {
    var raw = JSON.parse(document.getElementById("obs-data").textContent);
    var M = window.OBS_MODEL(raw);
    var root = document.getElementById("report");
    root.textContent = "";
    header(M);
    [timeline, operations, traces, fileSystem, containers, health].forEach(function (f) { root.appendChild(f(M)); });
    document.getElementById("foot").textContent = "obs " + (M.version || "") + " · generated " + fmtDate(M.generated)
      + " · this file is self-contained: it loads nothing and sends nothing.";
    document.body.setAttribute("data-ready", "true");
  }
  window.OBS_FORMAT = { ms: fmtMs, bytes: fmtBytes, rate: fmtRate, count: fmtExact };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main); else main();
})();
