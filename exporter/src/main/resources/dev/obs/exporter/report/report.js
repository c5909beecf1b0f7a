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
  function fmtExact(n) { return n == null ? "–" : Number(n).toLocaleString("en-US"); }
  function fmtRate(r) {
    if (r == null || isNaN(r)) return "–";
    if (r === 0) return "0/s";
    if (r < 0.01) return trimZeros((r * 60).toPrecision(3)) + "/min";
    return (r >= 100 ? r.toFixed(0) : trimZeros(r.toPrecision(3))) + "/s";
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
    // A window of one to three buckets reads better as columns, labelled with their values, than as lines.
    var columns = opts.times.length <= 3;
    if (columns) {
      opts.times.forEach(function (t) {
        var cx = x(t + opts.step / 2);
        root.appendChild(svg("text", { x: cx, y: H - 6, "text-anchor": "middle",
          text: fmtClock(t, true) + " – " + fmtClock(t + opts.step, true) }));
      });
    } else {
      var tt = timeTicks(t0, t1, 6);
      tt.ticks.forEach(function (t) {
        root.appendChild(svg("line", { x1: x(t), x2: x(t), y1: H - B, y2: H - B + 4, "class": "axis" }));
        root.appendChild(svg("text", { x: x(t), y: H - 6, "text-anchor": "middle", text: fmtClock(t, tt.seconds) }));
      });
    }
    var points = 0;
    opts.series.forEach(function (s) { s.values.forEach(function (v) { if (v != null) points++; }); });
    var dots = points / opts.series.length <= 40;
    opts.series.forEach(function (s, k) {
      if (columns) {
        var group = Math.min(0.6 * (x(t0 + opts.step) - x(t0)), 56 * opts.series.length);
        var bw = group / opts.series.length;
        s.values.forEach(function (v, i) {
          if (v == null) return;
          var left = x(opts.times[i] + opts.step / 2) - group / 2 + k * bw;
          root.appendChild(svg("rect", { x: left + 2, y: y(v), width: bw - 4, height: Math.max(0, y(0) - y(v)),
            fill: s.color, opacity: s.dash ? 0.55 : 0.85, rx: 2 }));
          root.appendChild(svg("text", { x: left + bw / 2, y: y(v) - 4, "text-anchor": "middle", text: opts.fmt(v) }));
        });
        return;
      }
      var d = "", pen = false, lone = [];
      s.values.forEach(function (v, i) {
        var cx = x(opts.times[i] + opts.step / 2);
        if (v == null) { pen = false; return; }
        var prev = i > 0 ? s.values[i - 1] : null, next = i + 1 < s.values.length ? s.values[i + 1] : null;
        if ((dots && v > 0) || (prev == null && next == null)) lone.push([cx, y(v)]);
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
    var ops = M.ops.reduce(function (a, o) { return a + o.count; }, 0);
    var errs = M.ops.reduce(function (a, o) { return a + o.errors; }, 0);
    var fams = {};
    M.ops.forEach(function (o) { fams[o.family] = true; });
    top.appendChild(el("h1", null, el("span", { cls: "brand", text: "obs" }), " report",
      M.service ? el("span", { cls: "sub", text: "  · service " + M.service }) : null));
    top.appendChild(el("div", { cls: "sub", id: "window" },
      fmtDate(M.window.since) + " → " + fmtDate(M.window.until) + "  (" + fmtSpan(M.window.until - M.window.since) + ")"
      + " · " + fmtExact(M.processes || 0) + " process" + (M.processes === 1 ? "" : "es")
      + (M.services.length ? " of " + M.services.join(", ") : "") + " · store ", el("code", { text: M.store })));
    var tiles = el("div", { cls: "tiles" },
      tile("operations", fmtExact(ops), null, "tile-operations"),
      tile("failed operations", fmtExact(errs) + (ops ? "  (" + pct(errs, ops) + ")" : ""), errs ? "bad" : "good",
        "tile-errors"),
      tile("families", Object.keys(fams).length ? Object.keys(fams).sort().join(" · ") : "none", "small", "tile-families"),
      tile("traces in the window", fmtExact(M.traces.slowestMatched) + (M.traces.failedMatched ? " · "
        + fmtExact(M.traces.failedMatched) + " failed" : ""), "small", "tile-traces"));
    if (M.health) {
      tiles.appendChild(tile("records dropped by obs", fmtExact(M.health.totalDropped), M.health.totalDropped ? "bad" : "good",
        "tile-dropped"));
    }
    top.appendChild(tiles);
    if (M.damagedLines) {
      top.appendChild(el("div", { cls: "note", text: fmtExact(M.damagedLines) + " damaged store line"
        + (M.damagedLines === 1 ? " was" : "s were") + " skipped (a process killed mid-write)." }));
    }
    var toc = document.getElementById("toc");
    [["timeline", "Over time"], ["operations", "Operations"], ["traces", "Traces"], ["fs", "File system"],
      ["sync", "Sync"], ["containers", "Containers"], ["health", "obs health"]].forEach(function (p) {
      toc.appendChild(el("a", { href: "#" + p[0], text: p[1] }));
    });
  }
  function pct(part, whole) {
    var v = 100 * part / whole;
    return (v === 0 ? "0" : v < 0.1 ? "<0.1" : v < 10 ? v.toFixed(1) : v.toFixed(0)) + " %";
  }
  function tile(k, v, cls, id) {
    return el("div", { cls: "tile" + (cls ? " " + cls : ""), id: id }, el("div", { cls: "v", text: v }),
      el("div", { cls: "k", text: k }));
  }

  function timeline(M) {
    var T = M.timeline;
    var s = section("timeline", "Over time", T.times.length && Object.keys(T.families).length ? "per family: operations per second and latency "
      + "percentiles, in " + T.times.length + " bucket" + (T.times.length > 1 ? "s" : "") + " of " + fmtStep(T.step) : "");
    var fams = Object.keys(T.families);
    if (!fams.length || !T.times.length) {
      s.appendChild(empty("No operations in this window: nothing to chart."));
      return s;
    }
    if (T.times.length < 3) {
      s.appendChild(el("div", { cls: "note", style: "margin:-4px 0 10px", text: "The window holds " + T.times.length
        + " bucket" + (T.times.length > 1 ? "s" : "") + ": for a finer time line pick a narrower --bucket "
        + "(not finer than the agent's metric export interval) or a longer window." }));
    }
    fams.forEach(function (f, i) {
      var F = T.families[f];
      var total = F.count.reduce(function (a, v) { return a + (v || 0); }, 0);
      var errs = F.errors.reduce(function (a, v) { return a + (v || 0); }, 0);
      var card = el("div", { cls: "card family", "data-family": f },
        el("h3", null, famBadge(f), el("span", { cls: "sub", text: fmtExact(total) + " operations"
          + (errs ? " · " + fmtExact(errs) + " failed" : "") })));
      var grid = el("div", { cls: "grid2" });
      grid.appendChild(lineChart({ title: "operations per second", times: T.times, step: T.step, fmt: fmtRate,
        series: [{ name: "operations", color: familyColor(f, i), values: F.rate },
          { name: "failed", color: "#b42318", dash: "4 3", values: F.errorRate }] }));
      var hasLatency = F.p50.some(function (v) { return v != null; });
      grid.appendChild(hasLatency ? lineChart({ title: "latency", times: T.times, step: T.step, fmt: fmtMs,
        series: [{ name: "p50", color: "#2f6fdf", values: F.p50 }, { name: "p95", color: "#e8912d", values: F.p95 },
          { name: "p99", color: "#d64545", values: F.p99 }] })
        : el("div", { cls: "chart" }, el("div", { cls: "title", text: "latency" }),
          empty(f + " records counts only: no latency to chart.")));
      card.appendChild(grid);
      s.appendChild(card);
    });
    return s;
  }

  function operations(M) {
    var s = section("operations", "Operations", "the window's totals, as obs metrics shows them; click a column to sort");
    if (!M.ops.length) { s.appendChild(empty("No operations recorded in this window.")); return s; }
    var maxP99 = M.ops.reduce(function (a, o) { return Math.max(a, o.p99 || 0); }, 0);
    var num = function (key, label, fmt) {
      return { key: key, label: label, num: true, value: function (r) { return r[key]; },
        fmt: function (r) { return fmt(r[key]); }, cls: function (r) { return r[key] === 0 || r[key] == null ? "zero" : ""; } };
    };
    var cols = [
      { key: "family", label: "family", value: function (r) { return r.family; }, fmt: function (r) { return famBadge(r.family); } },
      { key: "operation", label: "operation", value: function (r) { return r.operation; },
        fmt: function (r) { return [r.operation, r.sampled ? el("span", { cls: "sampled", title: "latency from a sample; "
          + "count and bytes exact", text: " ~" }) : null]; } },
      num("count", "count", fmtExact),
      { key: "errors", label: "errors", num: true, value: function (r) { return r.errors; },
        fmt: function (r) { return fmtExact(r.errors); }, cls: function (r) { return r.errors ? "err" : "zero"; } },
      num("rate", "rate", fmtRate),
      num("p50", "p50", fmtMs), num("p95", "p95", fmtMs),
      { key: "p99", label: "p99", num: true, value: function (r) { return r.p99; }, fmt: function (r) {
        return [r.p99 == null ? null : el("span", { cls: "lat", style: "width:" + (maxP99 ? Math.max(1, 60 * r.p99 / maxP99) : 0) + "px" }),
          fmtMs(r.p99)];
      }, cls: function (r) { return r.p99 == null ? "zero" : ""; } },
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
      + ". Latencies come from obs's histograms: counts are exact, a percentile is placed within its histogram bucket"
      + (M.ops.some(function (o) { return o.sampled; }) ? "; ~ marks latencies measured on a sample (file system)." : ".") }));
    return s;
  }

  function traces(M) {
    var s = section("traces", "Traces", "click a trace to open its waterfall; click a span for its attributes");
    var tabs = el("div", { cls: "tabs" });
    var body = el("div");
    var lists = [["slowest", "Slowest", M.traces.slowest, M.traces.slowestMatched],
      ["failed", "Failed", M.traces.failed, M.traces.failedMatched]];
    var buttons = lists.map(function (l, i) {
      var b = el("button", { cls: "chip" + (i === 0 ? " on" : ""), id: "tab-" + l[0],
        text: l[1] + " (" + (l[2].length < l[3] ? l[2].length + " of " + fmtExact(l[3]) : l[2].length) + ")" });
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
      var maxDur = l[2].reduce(function (a, t) { return Math.max(a, t.duration || 0); }, 0);
      var table = el("table", { cls: "traces", id: "traces-" + l[0] }, el("thead", null, el("tr", null,
        el("th", { text: "root span" }), el("th", { text: "service" }), el("th", { text: "started" }),
        el("th", { cls: "num", text: "spans" }), el("th", { text: "status" }), el("th", { cls: "num", text: "duration" }),
        el("th", { text: "" }))));
      var tb = el("tbody");
      l[2].forEach(function (t) {
        var tr = el("tr", { cls: "trace", "data-trace": t.traceId, tabindex: "0" },
          el("td", null, t.family ? famBadge(t.family) : null, t.root,
            t.rootStored ? null : el("span", { cls: "sub", text: " (root not stored)" })),
          el("td", { text: t.service || "" }),
          el("td", { cls: "mono", text: fmtDate(t.start) }),
          el("td", { cls: "num", text: fmtExact(t.spanCount) }),
          el("td", null, t.errors ? el("span", { cls: "status error", text: t.errors + " failed" })
            : el("span", { cls: "status ok", text: "ok" })),
          el("td", { cls: "num", text: fmtMs(t.duration) }),
          el("td", null, el("span", { cls: "durbar", style: "width:" + Math.max(2, 120 * (t.duration || 0) / (maxDur || 1)) + "px" })));
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

  /** The span tree of one trace (depth-first, as obs trace prints it): bars on the trace's time line. */
  function waterfall(t) {
    var total = t.spans.reduce(function (a, sp) { return Math.max(a, sp.offset + sp.duration); }, 0) || 1e-6;
    var box = el("div", { cls: "waterfall", "data-trace": t.traceId });
    var ticks = niceTicks(total, 4).filter(function (v) { return v <= total * 1.0001; });
    var scale = el("div", { cls: "wf-track wf-axis" }, ticks.map(function (v, i) {
      var last = i === ticks.length - 1 && v / total > 0.9;
      return el("span", { cls: i === 0 ? "first" : last ? "last" : null, style: "left:" + (100 * v / total) + "%",
        text: axisLabel(fmtMs, v) });
    }));
    box.appendChild(el("div", { cls: "wf-scale" }, el("span", { cls: "mono", text: "trace " + t.traceId }), scale,
      el("span", { text: "duration" })));
    var gridlines = function () {
      return ticks.slice(1).map(function (v) { return el("i", { cls: "wf-grid", style: "left:" + (100 * v / total) + "%" }); });
    };
    var MAX_ROWS = 1500;
    t.spans.slice(0, MAX_ROWS).forEach(function (sp) {
      var left = 100 * sp.offset / total, width = 100 * sp.duration / total;
      var r = el("div", { cls: "wf-row" + (sp.error ? " failed" : ""), "data-span": sp.id, title: sp.name, tabindex: "0" },
        el("div", { cls: "wf-name", style: "padding-left:" + (sp.depth * 14) + "px" },
          sp.depth ? el("span", { cls: "tw", text: "└ " }) : null, el("span", { cls: "wf-label", text: sp.name }),
          sp.error ? el("span", { cls: "status error", style: "margin-left:6px", text: "error" }) : null),
        el("div", { cls: "wf-track" }, gridlines(), el("div", { cls: "wf-bar" + (sp.error ? " error" : ""),
          style: "left:" + left.toFixed(3) + "%;width:" + Math.max(width, 0.15).toFixed(3) + "%;background:"
            + (sp.error ? "var(--error)" : familyColor(sp.family || t.family || "methods")) })),
        el("div", { cls: "wf-dur", text: fmtMs(sp.duration) }));
      var attrs = null;
      var toggle = function () {
        if (attrs) { attrs.remove(); attrs = null; r.classList.remove("open"); return; }
        var pairs = [["span", sp.id + (sp.service && sp.service !== t.service ? "  (service " + sp.service + ")" : "")],
          ["starts at", "+" + fmtMs(sp.offset)], ["duration", fmtMs(sp.duration)],
          ["status", sp.status + (sp.message ? ": " + sp.message : "")]].concat(sp.attrs);
        attrs = el("div", { cls: "wf-attrs", "data-span": sp.id }, pairs.map(function (p) {
          return [el("span", { cls: "k", text: p[0] }), el("span", { cls: "v", text: p[1] })];
        }));
        r.after(attrs);
        r.classList.add("open");
      };
      r.addEventListener("click", toggle);
      r.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); } });
      box.appendChild(r);
    });
    if (t.spans.length > MAX_ROWS) {
      box.appendChild(el("div", { cls: "note", text: fmtExact(t.spans.length - MAX_ROWS) + " more spans not drawn: "
        + "obs trace " + t.traceId + " lists them all." }));
    }
    return box;
  }

  function fileSystem(M) {
    var s = section("fs", "File system", "by group (obs.fs.groups): operations and bytes, exact");
    if (!M.fs.length) { s.appendChild(empty("No file-system operations in this window.")); return s; }
    var grid = el("div", { cls: "grid2" });
    var byBytes = M.fs.slice().sort(function (a, b) { return (b.readBytes + b.writeBytes) - (a.readBytes + a.writeBytes); });
    grid.appendChild(el("div", { cls: "card", id: "fs-bytes" }, el("h3", null, "bytes by group ",
      el("span", { cls: "legend sub" }, el("span", null, el("i", { style: "background:var(--read)" }), "read"),
        el("span", null, el("i", { style: "background:var(--write)" }), "written"))),
      hbars(byBytes.map(function (g) {
        return { label: g.group, text: fmtBytes(g.readBytes) + " / " + fmtBytes(g.writeBytes), parts: [
          { value: g.readBytes, color: "var(--read)", name: "read", title: fmtBytes(g.readBytes) },
          { value: g.writeBytes, color: "var(--write)", name: "written", title: fmtBytes(g.writeBytes) }] };
      }))));
    var types = {};
    M.fs.forEach(function (g) { Object.keys(g.byType).forEach(function (t) { types[t] = (types[t] || 0) + g.byType[t]; }); });
    var typeOrder = Object.keys(types).sort(function (a, b) { return types[b] - types[a]; });
    var palette = {};
    typeOrder.forEach(function (t, i) { palette[t] = OTHER_COLORS[i % OTHER_COLORS.length]; });
    grid.appendChild(el("div", { cls: "card", id: "fs-operations" }, el("h3", null, "operations by group ",
      el("span", { cls: "legend sub" }, typeOrder.slice(0, 6).map(function (t) {
        return el("span", null, el("i", { style: "background:" + palette[t] }), t);
      }))),
      hbars(M.fs.slice().sort(function (a, b) { return b.operations - a.operations; }).map(function (g) {
        return { label: g.group, text: fmtExact(g.operations), parts: typeOrder.map(function (t) {
          return { value: g.byType[t] || 0, color: palette[t], name: t, title: fmtExact(g.byType[t] || 0) };
        }) };
      }))));
    s.appendChild(grid);
    var cols = [
      { key: "group", label: "group", value: function (r) { return r.group; }, fmt: function (r) { return r.group; } },
      { key: "operations", label: "operations", num: true, value: function (r) { return r.operations; },
        fmt: function (r) { return fmtExact(r.operations); } },
      { key: "readBytes", label: "bytes read", num: true, value: function (r) { return r.readBytes; },
        fmt: function (r) { return fmtBytes(r.readBytes); }, cls: function (r) { return r.readBytes ? "" : "zero"; } },
      { key: "writeBytes", label: "bytes written", num: true, value: function (r) { return r.writeBytes; },
        fmt: function (r) { return fmtBytes(r.writeBytes); }, cls: function (r) { return r.writeBytes ? "" : "zero"; } }]
      .concat(typeOrder.map(function (t) {
        return { key: "type:" + t, label: t, num: true, value: function (r) { return r.byType[t] || 0; },
          fmt: function (r) { return fmtExact(r.byType[t] || 0); }, cls: function (r) { return r.byType[t] ? "" : "zero"; } };
      }));
    s.appendChild(el("div", { style: "margin-top:12px;overflow-x:auto" },
      sortableTable(cols, M.fs, { key: "operations", dir: "desc" }, "fs-table")));
    return s;
  }

  function syncPage(M) {
    var s = section("sync", "Sync", "a sync service (your declared classes, and Git's fetch, pull and push), as obs sync "
      + "metrics shows it");
    var Y = M.sync;
    if (!Y) { s.appendChild(empty("No sync operations in this window.")); return s; }
    var failed = Y.ops.reduce(function (a, o) { return a + (o.byOutcome.error || 0); }, 0);
    var total = Y.ops.reduce(function (a, o) { return a + o.count; }, 0);
    var conflicts = Object.keys(Y.conflicts).reduce(function (a, k) { return a + Y.conflicts[k]; }, 0);
    s.appendChild(el("div", { cls: "tiles" },
      tile("current state", Y.state || "–", "small", "sync-state"),
      tile("sync operations", fmtExact(total), null, "sync-operations"),
      tile("errors", fmtExact(Y.errors), Y.errors ? "bad" : "good", "sync-errors"),
      tile("conflicts", fmtExact(conflicts), conflicts ? "bad" : "good", "sync-conflicts"),
      tile("failed operations", fmtExact(failed), failed ? "bad" : "good", "sync-failed")));
    if (Y.stateTime.length && Y.uptime) {
      s.appendChild(el("div", { cls: "card", id: "sync-states" }, el("h3", { text: "time in each state" }),
        hbars(Y.stateTime.map(function (t) {
          return { label: t.state, text: fmtMs(t.ms) + " (" + pct(t.ms, Y.uptime) + ")", parts: [{ value: t.ms,
            color: "var(--accent)", name: t.state, title: fmtMs(t.ms) }] };
        }))));
    }
    var outcomes = {};
    Y.ops.forEach(function (o) { Object.keys(o.byOutcome).forEach(function (k) { outcomes[k] = true; }); });
    var outcomeOrder = Object.keys(outcomes).sort();
    var msCol = function (key, label) {
      return { key: key, label: label, num: true, value: function (r) { return r[key]; },
        fmt: function (r) { return r[key] == null ? "–" : fmtMs(r[key]); } };
    };
    var cols = [
      { key: "operation", label: "operation", value: function (r) { return r.operation; }, fmt: function (r) { return r.operation; } },
      { key: "count", label: "count", num: true, value: function (r) { return r.count; }, fmt: function (r) { return fmtExact(r.count); } }]
      .concat(outcomeOrder.map(function (k) {
        return { key: "outcome:" + k, label: k, num: true, value: function (r) { return r.byOutcome[k] || 0; },
          fmt: function (r) { return fmtExact(r.byOutcome[k] || 0); },
          cls: function (r) { return !r.byOutcome[k] ? "zero" : k === "success" ? "" : "err"; } };
      }))
      .concat([{ key: "records", label: "records", num: true, value: function (r) { return r.records; },
        fmt: function (r) { return fmtExact(r.records); } }, msCol("avg", "avg"), msCol("p95", "p95"), msCol("max", "max")]);
    s.appendChild(el("div", { style: "overflow-x:auto" },
      sortableTable(cols, Y.ops, { key: "count", dir: "desc" }, "sync-ops-table")));
    if (Y.peers.length) {
      var peerCols = [
        { key: "peer", label: "peer", value: function (r) { return r.peer; },
          fmt: function (r) { return r.peer + (r.name ? " (" + r.name + ")" : ""); } },
        { key: "sent", label: "sent", num: true, value: function (r) { return r.sent; }, fmt: function (r) { return fmtBytes(r.sent); } },
        { key: "received", label: "received", num: true, value: function (r) { return r.received; },
          fmt: function (r) { return fmtBytes(r.received); } },
        { key: "online", label: "online", value: function (r) { return r.online == null ? "" : r.online ? "online" : "offline"; },
          fmt: function (r) { return r.online == null ? "–" : r.online ? "online" : "offline"; } },
        msCol("lag", "lag")];
      s.appendChild(el("div", { style: "overflow-x:auto" },
        sortableTable(peerCols, Y.peers, { key: "peer", dir: "asc" }, "sync-peers-table")));
    }
    var types = Object.keys(Y.errorsByType).sort();
    if (types.length) {
      s.appendChild(el("div", { cls: "card", id: "sync-error-types" }, el("h3", { text: "errors by type" }),
        hbars(types.map(function (k) {
          return { label: k, text: fmtExact(Y.errorsByType[k]), parts: [{ value: Y.errorsByType[k],
            color: "var(--error)", name: k, title: fmtExact(Y.errorsByType[k]) }] };
        }))));
    }
    if (Y.conflictPaths.length) {
      var pathCols = [
        { key: "path", label: "path", value: function (r) { return r.path; }, fmt: function (r) { return r.path; } },
        { key: "count", label: "conflicts", num: true, value: function (r) { return r.count; }, fmt: function (r) { return fmtExact(r.count); } },
        { key: "last", label: "last", num: true, value: function (r) { return r.last; }, fmt: function (r) { return fmtDate(r.last); } },
        { key: "between", label: "between", value: function (r) { return r.between.length; }, fmt: function (r) {
          return r.between.map(function (b) { return (b.ours || "?") + " ← " + (b.theirs || "?") + " (" + b.count + ")"; }).join(", ");
        } }];
      s.appendChild(el("h3", { text: "paths that conflicted most" }));
      s.appendChild(el("div", { style: "overflow-x:auto" },
        sortableTable(pathCols, Y.conflictPaths, { key: "count", dir: "desc" }, "sync-conflicts-table")));
    }
    return s;
  }

  function containers(M) {
    var s = section("containers", "Containers", "CPU and memory of the containers obs sampled");
    if (!M.containers.length) {
      s.appendChild(empty("No container samples in this window."));
      return s;
    }
    var known = function (v) { return v != null && v >= 0; };
    var num = function (key, label, fmt) {
      return { key: key, label: label, num: true, value: function (r) { return known(r[key]) ? r[key] : null; },
        fmt: function (r) { return known(r[key]) ? fmt(r[key]) : "–"; } };
    };
    var cols = [
      { key: "name", label: "container", value: function (r) { return r.name; }, fmt: function (r) { return r.name; } },
      { key: "service", label: "service", value: function (r) { return r.service; }, fmt: function (r) { return r.service; } },
      num("cpuSeconds", "CPU time", function (v) { return fmtMs(v * 1000); }),
      num("cpuCores", "CPU (cores)", function (v) { return v.toFixed(2); }),
      { key: "memoryBytes", label: "memory", num: true, value: function (r) { return r.memoryBytes; }, fmt: function (r) {
        if (!known(r.memoryBytes)) return "–";
        var limit = known(r.memoryLimitBytes) && r.memoryLimitBytes > 0;
        return [limit ? el("span", { cls: "lat", style: "background:var(--accent);width:"
          + Math.max(1, 60 * Math.min(1, r.memoryBytes / r.memoryLimitBytes)) + "px" }) : null,
          fmtBytes(r.memoryBytes) + (limit ? " of " + fmtBytes(r.memoryLimitBytes) : "")];
      } },
      num("diskReadBytes", "disk read", fmtBytes), num("diskWriteBytes", "disk written", fmtBytes),
      num("networkReceiveBytes", "net in", fmtBytes), num("networkTransmitBytes", "net out", fmtBytes)];
    s.appendChild(el("div", { style: "overflow-x:auto" },
      sortableTable(cols, M.containers, { key: "name", dir: "asc" }, "containers-table")));
    return s;
  }

  function health(M) {
    var s = section("health", "obs health", "what obs itself shed or failed to export in this window");
    var H = M.health;
    if (!H) { s.appendChild(empty("obs recorded no self-metrics in this window.")); return s; }
    var grid = el("div", { cls: "grid2" });
    var reasons = Object.keys(H.dropped).sort();
    grid.appendChild(el("div", { cls: "card", id: "health-drops" }, el("h3", { text: "records dropped, by signal and reason" }),
      reasons.length ? hbars(reasons.map(function (k) {
        return { label: k, text: fmtExact(H.dropped[k]), parts: [{ value: H.dropped[k],
          color: "var(--error)", name: k, title: fmtExact(H.dropped[k]) }] };
      })) : null,
      el("div", { cls: "note", text: H.totalDropped ? fmtExact(H.totalDropped) + " records dropped; each is counted "
        + "here by reason (the operation counts above stay exact)." : "Nothing dropped: every record obs produced was exported." })));
    var rows = [];
    Object.keys(H.accepted).sort().forEach(function (k) { rows.push(["accepted · " + k, fmtExact(H.accepted[k]), false]); });
    Object.keys(H.exported).sort().forEach(function (k) { rows.push(["exported · " + k, fmtExact(H.exported[k]), false]); });
    Object.keys(H.failures).sort().forEach(function (k) {
      rows.push(["export failures · " + k, fmtExact(H.failures[k]), H.failures[k] > 0]);
    });
    rows.push(["traces shed whole", fmtExact(H.tracesShed), H.tracesShed > 0]);
    rows.push(["deepest queue seen", fmtExact(H.queueDepthMax), false]);
    grid.appendChild(el("div", { cls: "card", id: "health-export" }, el("h3", { text: "records and export" }),
      el("table", { cls: "facts" }, el("tbody", null, rows.map(function (f) {
        return el("tr", null, el("td", { text: f[0] }), el("td", { cls: "num" + (f[2] ? " err" : ""), text: f[1] }));
      })))));
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
    [timeline, operations, traces, fileSystem, syncPage, containers, health].forEach(function (f) { root.appendChild(f(M)); });
    document.getElementById("foot").textContent = "obs " + (M.version || "") + " · generated " + fmtDate(M.generated)
      + " · times in this browser's time zone · this file is self-contained: it loads nothing and sends nothing.";
    document.body.setAttribute("data-ready", "true");
  }
  window.OBS_FORMAT = { ms: fmtMs, bytes: fmtBytes, rate: fmtRate, count: fmtExact };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main); else main();
})();
