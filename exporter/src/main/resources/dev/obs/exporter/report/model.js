"use strict";
/*
 * From the embedded JSON to what report.js draws. The JSON is {report, metrics, charts, slowest, failed, traces,
 * sync, syncConflicts}: `sync` and `syncConflicts` are what `obs sync metrics --json` and `obs sync conflicts
 * --json` print, `metrics` is what `obs metrics --json` prints for the window, `slowest` and `failed` what `obs traces --json`
 * (and `--errors`) print, `traces` maps each listed trace id to what `obs trace ID --json` prints, `charts` holds
 * per family one point per time bucket. Every field name of those models is read here and nowhere else.
 * Times become epoch milliseconds and durations milliseconds.
 */
window.OBS_MODEL = function (raw) {
  function ms(seconds) { return seconds == null ? null : seconds * 1000; }
  function time(iso) { return iso == null ? null : Date.parse(iso); }
  var metrics = raw.metrics || {};
  var ops = (metrics.operations || []).map(function (o) {
    return { family: o.family, operation: o.operation, count: o.count, errors: o.errors, rate: o.ratePerSecond,
      p50: ms(o.p50Seconds), p95: ms(o.p95Seconds), p99: ms(o.p99Seconds), max: ms(o.maxSeconds), bytes: o.bytes,
      sampled: !!o.latencySampled };
  });
  var charts = raw.charts || { buckets: [], families: {} };
  var times = charts.buckets.map(function (b) { return time(b.start); });
  var step = charts.buckets.length ? time(charts.buckets[0].end) - time(charts.buckets[0].start) : 60000;
  var families = {};
  Object.keys(charts.families || {}).forEach(function (f) {
    var points = charts.families[f];
    families[f] = {
      count: points.map(function (p) { return p.count; }),
      errors: points.map(function (p) { return p.errors; }),
      rate: points.map(function (p) { return p.ratePerSecond; }),
      errorRate: points.map(function (p, i) {
        var s = (time(charts.buckets[i].end) - time(charts.buckets[i].start)) / 1000;
        return s > 0 ? p.errors / s : null;
      }),
      p50: points.map(function (p) { return ms(p.p50Seconds); }),
      p95: points.map(function (p) { return ms(p.p95Seconds); }),
      p99: points.map(function (p) { return ms(p.p99Seconds); })
    };
  });
  var familyOf = {};
  ops.forEach(function (o) { familyOf[o.operation] = o.family; });
  function traceList(list) {
    return ((list || {}).traces || []).map(function (t) {
      var tree = (raw.traces || {})[t.traceId] || { spans: [] };
      var t0 = time(tree.start);
      return { traceId: t.traceId, root: t.root, rootStored: t.rootStored, service: t.service, start: time(t.start),
        duration: ms(t.durationSeconds), spanCount: t.spans, errors: t.errors,
        family: familyOf[t.root] || null,
        spans: tree.spans.map(function (s) {
          var attrs = [];
          Object.keys(s.attributes || {}).sort().forEach(function (k) { attrs.push([k, s.attributes[k]]); });
          return { id: s.spanId, parent: s.parentSpanId || null, depth: s.depth, name: s.name, service: s.service,
            offset: ms(s.offsetSeconds), duration: ms(s.durationSeconds), status: s.status,
            error: s.status === "error", message: s.statusMessage || "", attrs: attrs,
            family: familyOf[s.name] || null };
        }) };
    });
  }
  var obs = metrics.obs || null;
  var health = null;
  if (obs && Object.keys(obs.recordsAccepted || {}).length + Object.keys(obs.recordsDropped || {}).length > 0) {
    var sum = function (m) { return Object.keys(m || {}).reduce(function (a, k) { return a + m[k]; }, 0); };
    health = { dropped: obs.recordsDropped || {}, accepted: obs.recordsAccepted || {}, exported: obs.recordsExported || {},
      failures: obs.exportFailures || {}, tracesShed: obs.tracesShed, queueDepthMax: obs.queueDepthMax,
      totalDropped: sum(obs.recordsDropped), totalFailures: sum(obs.exportFailures) };
  }
  var S = raw.sync || {};
  var sync = null;
  var syncOps = Object.keys(S.operations || {}).sort().map(function (name) {
    var o = S.operations[name];
    return { operation: name, count: o.count, byOutcome: o.byOutcome || {}, records: o.records,
      avg: ms(o.avgSeconds), p95: ms(o.p95Seconds), max: ms(o.maxSeconds) };
  });
  var state = S.state || {};
  if (syncOps.length || state.current || Object.keys(S.conflicts || {}).length) {
    var peers = {};
    var peer = function (p) { return peers[p] || (peers[p] = { peer: p, sent: 0, received: 0, online: null, name: null,
      lag: null }); };
    Object.keys(S.bytesSentByPeer || {}).forEach(function (p) { peer(p).sent = S.bytesSentByPeer[p]; });
    Object.keys(S.bytesReceivedByPeer || {}).forEach(function (p) { peer(p).received = S.bytesReceivedByPeer[p]; });
    Object.keys(S.peers || {}).forEach(function (p) {
      var q = S.peers[p];
      peer(p).online = q.online; peer(p).name = q.name || null; peer(p).lag = ms(q.lagSeconds);
    });
    sync = { state: state.current || null, uptime: ms(state.uptimeSeconds), transitions: state.transitions || 0,
      stateTime: Object.keys(state.secondsByState || {}).map(function (k) { return { state: k, ms: ms(state.secondsByState[k]) }; }),
      ops: syncOps,
      peers: Object.keys(peers).sort().map(function (p) { return peers[p]; }),
      errors: (S.errors || {}).total || 0, errorsByType: (S.errors || {}).byType || {},
      conflicts: S.conflicts || {},
      conflictPaths: (raw.syncConflicts || []).map(function (c) {
        return { path: c.path, count: c.conflicts, last: time(c.last), between: (c.between || []).map(function (b) {
          return { ours: b.ours, theirs: b.theirs, count: b.conflicts };
        }) };
      }) };
  }
  var win = metrics.window || {};
  var rep = raw.report || {};
  return {
    version: rep.version, generated: time(rep.generated), store: metrics.source || "", services: metrics.services || [],
    service: rep.service || null, processes: metrics.processes,
    window: { since: time(win.start), until: time(win.end), seconds: win.seconds },
    damagedLines: (metrics.notes || {}).damagedLines || 0,
    ops: ops,
    timeline: { times: times, step: step, families: families },
    traces: { slowest: traceList(raw.slowest), failed: traceList(raw.failed),
      slowestMatched: (raw.slowest || {}).matched || 0, failedMatched: (raw.failed || {}).matched || 0 },
    fs: (metrics.fsGroups || []).map(function (g) {
      return { group: g.group, operations: g.operations, readBytes: g.readBytes, writeBytes: g.writeBytes,
        byType: g.operationsByType || {} };
    }),
    containers: (metrics.containers || []).map(function (c) {
      return { name: c.name, service: c.service, cpuSeconds: c.cpuSeconds, cpuCores: c.cpuCores,
        memoryBytes: c.memoryBytes, memoryLimitBytes: c.memoryLimitBytes, diskReadBytes: c.diskReadBytes,
        diskWriteBytes: c.diskWriteBytes, networkReceiveBytes: c.networkReceiveBytes,
        networkTransmitBytes: c.networkTransmitBytes };
    }),
    health: health,
    sync: sync
  };
};
