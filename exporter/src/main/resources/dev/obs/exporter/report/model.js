"use strict";
/*
 * From the embedded JSON (the `obs metrics --json` and `obs traces --json` models, and the same metrics model
 * per time bucket) to what report.js draws. Every field name of the JSON models is read here and nowhere else.
 */
window.OBS_MODEL = function (raw) {
  function ms(v) { return v == null ? null : Number(v); }
  function opRow(o) {
    return { family: o.family, operation: o.operation, count: o.count || 0, errors: o.errors || 0, rate: o.rate,
      p50: ms(o.p50Ms), p95: ms(o.p95Ms), p99: ms(o.p99Ms), max: ms(o.maxMs), bytes: o.bytes == null ? null : o.bytes };
  }
  var metrics = raw.metrics || {};
  var ops = (metrics.operations || []).map(opRow);

  // Over time: per family, the bucket's count and errors summed over its operations; its percentiles are those of
  // the family's busiest operation in that bucket (percentiles of different operations do not add up).
  var buckets = raw.timeline || [];
  var times = buckets.map(function (b) { return Number(b.start); });
  var step = buckets.length ? Number(buckets[0].end) - Number(buckets[0].start) : 60000;
  var families = {};
  buckets.forEach(function (b, i) {
    var busiest = {};
    (b.operations || []).forEach(function (o) {
      var F = families[o.family];
      if (!F) {
        F = families[o.family] = { count: [], errors: [], p50: [], p95: [], p99: [] };
        for (var j = 0; j < buckets.length; j++) { F.count.push(0); F.errors.push(0); F.p50.push(null); F.p95.push(null); F.p99.push(null); }
      }
      F.count[i] += o.count || 0;
      F.errors[i] += o.errors || 0;
      if (!busiest[o.family] || o.count > busiest[o.family].count) busiest[o.family] = o;
    });
    Object.keys(busiest).forEach(function (f) {
      var o = busiest[f];
      families[f].p50[i] = ms(o.p50Ms); families[f].p95[i] = ms(o.p95Ms); families[f].p99[i] = ms(o.p99Ms);
    });
  });

  function trace(t) {
    return { traceId: t.traceId, service: t.service, root: t.rootName, start: Number(t.start), duration: ms(t.durationMs),
      family: (t.rootName || "").split(/[ .]/)[0],
      spans: (t.spans || []).map(function (s) {
        var attrs = [];
        Object.keys(s.attributes || {}).sort().forEach(function (k) { attrs.push([k, String(s.attributes[k])]); });
        return { id: s.spanId, parent: s.parentSpanId || null, name: s.name, start: Number(s.start), end: Number(s.end),
          error: s.status === "ERROR", message: s.statusMessage || "", attrs: attrs };
      }) };
  }
  var tr = raw.traces || {};
  var obs = metrics.obs || {};
  var facts = [];
  if (obs.accepted != null) facts.push(["records accepted", Number(obs.accepted).toLocaleString("en-US"), false]);
  if (obs.exported != null) facts.push(["records exported", Number(obs.exported).toLocaleString("en-US"), false]);
  if (obs.exportFailures != null) facts.push(["export failures", Number(obs.exportFailures).toLocaleString("en-US"), obs.exportFailures > 0]);
  var rep = raw.report || {};
  return {
    version: rep.version, generated: Number(rep.generated), store: rep.store || "", services: rep.services || [],
    window: { since: Number(rep.since), until: Number(rep.until) },
    ops: ops,
    timeline: { times: times, step: step, families: families },
    traces: { slowest: (tr.slowest || []).map(trace), failed: (tr.failed || []).map(trace) },
    fs: (metrics.fs || []).map(function (r) {
      return { group: r.group, operation: r.operation, count: r.count || 0, errors: r.errors || 0, bytesRead: r.bytesRead || 0,
        bytesWritten: r.bytesWritten || 0, p50: ms(r.p50Ms), p99: ms(r.p99Ms) };
    }),
    containers: metrics.containers || [],
    containerColumns: [],
    health: { dropped: obs.dropped || {}, facts: facts }
  };
};
