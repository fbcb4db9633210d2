// Static renderer of the sliders package: draws precomputed chart specs as SVG.
// No dependencies, no network. The book loads it once per page; a standalone figure
// carries it inline (the guard below keeps a second copy from redefining it). Either
// way it draws every .rnnfig on the page that is not drawn yet. The spec format is
// written by sliders/static.py, which also resolves colours and axis limits, so this
// file only lays out and draws.
(function () {
  "use strict";
  if (window.RNNFig) { window.RNNFig.mountAll(); return; }
  var W = 720;
  var CMAPS = __CMAPS__;

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }
  // One SVG element as a string; attributes whose value is null are left out.
  function tag(name, a, body) {
    var s = "<" + name;
    for (var k in a) if (a[k] !== null && a[k] !== undefined) s += " " + k + '="' + a[k] + '"';
    return body === undefined ? s + "/>" : s + ">" + body + "</" + name + ">";
  }
  function r1(v) { return Math.round(v * 10) / 10; }  // 0.1 px is plenty and keeps SVG short
  function text(x, y, s, a) {
    a = a || {};
    a.x = r1(x); a.y = r1(y);
    return tag("text", a, s);
  }

  // Linear or log10 map from data limits [l0, l1] to pixels [a, b].
  function mapper(lim, a, b, log) {
    var f = log ? Math.log10 : function (v) { return v; };
    var l0 = f(lim[0]), l1 = f(lim[1]);
    return function (v) { return a + (f(v) - l0) / (l1 - l0) * (b - a); };
  }

  // Minus sign as U+2212, as in typeset plots.
  function minus(s) { return s.replace(/-/g, "\u2212"); }
  function fmt(v, step) {
    var m = Math.abs(v);
    if (v !== 0 && (m >= 1e5 || m < 1e-3)) return minus(v.toExponential(1).replace("e+", "e"));
    return minus(v.toFixed(Math.max(0, -Math.floor(Math.log10(step) + 1e-9))));
  }
  // About n "nice" ticks (1, 2 or 5 times a power of ten) inside [lo, hi].
  function linTicks(lo, hi, n) {
    if (lo > hi) { var t = lo; lo = hi; hi = t; }
    var raw = (hi - lo) / n, step = Math.pow(10, Math.floor(Math.log10(raw))), e = raw / step;
    step *= e >= 7.5 ? 10 : e >= 3.5 ? 5 : e >= 1.5 ? 2 : 1;
    var out = [];
    for (var k = Math.ceil(lo / step - 1e-9); k <= Math.floor(hi / step + 1e-9); k++) {
      var v = k * step;
      out.push({ v: v, s: fmt(Math.abs(v) < step * 1e-9 ? 0 : v, step) });
    }
    return out;
  }
  // Decades 10^k; fall back to linear ticks when the range spans less than one decade.
  function logTicks(lo, hi) {
    var e0 = Math.ceil(Math.log10(lo) - 1e-9), e1 = Math.floor(Math.log10(hi) + 1e-9);
    if (e1 - e0 < 1) return linTicks(lo, hi, 4);
    var every = Math.ceil((e1 - e0 + 1) / 7), out = [];
    for (var e = e0; e <= e1; e += every) {
      out.push({ v: Math.pow(10, e), s: "10" + tag("tspan", { dy: -6, "font-size": 9 }, minus("" + e)) });
    }
    return out;
  }
  // Heat-map axes index cells: label them with the given names, or with whole numbers.
  function ticksFor(lim, log, n, heat, labels) {
    if (labels) return labels.map(function (s, i) { return { v: i, s: esc(s) }; });
    if (heat) {
      var last = Math.round(Math.max(lim[0], lim[1]) - 0.5);
      return last < 1 ? [{ v: 0, s: "0" }] : linTicks(0, last, Math.min(last, n)).filter(function (t) { return t.v % 1 === 0; });
    }
    return log ? logTicks(lim[0], lim[1]) : linTicks(lim[0], lim[1], n);
  }

  function cmap(name, t) {
    var c = CMAPS[name], p = Math.max(0, Math.min(1, t)) * (c.length - 1), i = Math.min(Math.floor(p), c.length - 2);
    var f = p - i, a = c[i], b = c[i + 1], rgb = [];
    for (var k = 0; k < 3; k++) {
      var x = parseInt(a.substr(1 + 2 * k, 2), 16), y = parseInt(b.substr(1 + 2 * k, 2), 16);
      rgb.push(Math.round(x + (y - x) * f));
    }
    return "rgb(" + rgb.join(",") + ")";
  }

  // Legend entries, laid out in centred rows above the plot so they never cover data.
  function legendRows(c, width) {
    var items = c.legend ? c.marks.filter(function (m) { return m.label; }) : [];
    var rows = [], row = [], used = 0;
    items.forEach(function (m) {
      var w = 30 + 6.6 * m.label.length;
      if (row.length && used + w > width) { rows.push({ items: row, w: used }); row = []; used = 0; }
      row.push({ m: m, w: w }); used += w;
    });
    if (row.length) rows.push({ items: row, w: used });
    return rows;
  }
  function swatch(m, x, y) {
    var col = Array.isArray(m.color) ? m.color[0] : m.color;
    if (m.t === "bars" || m.t === "band") {
      return tag("rect", { x: x, y: y - 5, width: 18, height: 10, fill: col, "fill-opacity": m.t === "band" ? 0.25 : null });
    }
    if (m.t === "points") return tag("circle", { cx: x + 9, cy: y, r: 3.5, fill: col });
    var s = tag("line", { x1: x, y1: y, x2: x + 18, y2: y, stroke: col, "stroke-width": 2, "stroke-dasharray": m.dash ? "6 4" : null });
    return m.marker ? s + tag("circle", { cx: x + 9, cy: y, r: 3, fill: col }) : s;
  }
  function drawLegend(rows, cx, y0) {
    var out = "";
    rows.forEach(function (row, j) {
      var x = cx - row.w / 2, y = y0 + 18 * j;
      row.items.forEach(function (it) {
        out += swatch(it.m, x, y) + text(x + 24, y + 4, esc(it.m.label), { "font-size": 12 });
        x += it.w;
      });
    });
    return out;
  }

  // One mark in data coordinates; X and Y map data to pixels, box is the plot area.
  function drawMark(m, X, Y, box, c) {
    var i, pts = [], out = "";
    if (m.t === "line") {
      for (i = 0; i < m.x.length; i++) pts.push(r1(X(m.x[i])) + "," + r1(Y(m.y[i])));
      out = tag("polyline", { points: pts.join(" "), fill: "none", stroke: m.color, "stroke-width": 2,
        "stroke-linejoin": "round", "stroke-dasharray": m.dash ? "6 4" : null });
      if (m.marker) for (i = 0; i < m.x.length; i++) out += tag("circle", { cx: r1(X(m.x[i])), cy: r1(Y(m.y[i])), r: 3, fill: m.color });
    } else if (m.t === "points") {
      for (i = 0; i < m.x.length; i++) out += tag("circle", { cx: r1(X(m.x[i])), cy: r1(Y(m.y[i])), r: 3.5, fill: m.color });
    } else if (m.t === "bars") {
      var base = c.ylog ? c.ylim[0] : Math.min(Math.max(0, Math.min(c.ylim[0], c.ylim[1])), Math.max(c.ylim[0], c.ylim[1]));
      for (i = 0; i < m.x.length; i++) {
        var xa = X(m.x[i] - m.width / 2), xb = X(m.x[i] + m.width / 2), ya = Y(base), yb = Y(m.y[i]);
        out += tag("rect", { x: r1(Math.min(xa, xb)), y: r1(Math.min(ya, yb)), width: r1(Math.abs(xb - xa)),
          height: r1(Math.abs(yb - ya)), fill: Array.isArray(m.color) ? m.color[i] : m.color });
      }
    } else if (m.t === "band") {
      for (i = 0; i < m.x.length; i++) pts.push(r1(X(m.x[i])) + "," + r1(Y(m.hi[i])));
      for (i = m.x.length - 1; i >= 0; i--) pts.push(r1(X(m.x[i])) + "," + r1(Y(m.lo[i])));
      out = tag("polygon", { points: pts.join(" "), fill: m.color, "fill-opacity": 0.25, stroke: "none" });
    } else if (m.t === "hline" || m.t === "vline") {
      var h = m.t === "hline", p = h ? r1(Y(m.y)) : r1(X(m.x));
      out = tag("line", { x1: h ? box.l : p, x2: h ? box.r : p, y1: h ? p : box.t, y2: h ? p : box.b,
        stroke: m.color, "stroke-width": 1.5, "stroke-dasharray": m.dash ? "6 4" : null });
    } else if (m.t === "text") {
      out = text(X(m.x), Y(m.y), esc(m.text), { "font-size": 12, fill: m.color,
        "text-anchor": { left: "start", center: "middle", right: "end" }[m.align] });
    } else if (m.t === "heatmap") {
      for (var r = 0; r < m.z.length; r++) {
        for (i = 0; i < m.z[r].length; i++) {
          var x0 = X(i - 0.5), x1 = X(i + 0.5), y0 = Y(r - 0.5), y1 = Y(r + 0.5);
          out += tag("rect", { x: r1(Math.min(x0, x1)), y: r1(Math.min(y0, y1)), width: r1(Math.abs(x1 - x0)) + 0.3,
            height: r1(Math.abs(y1 - y0)) + 0.3, fill: cmap(m.cmap, (m.z[r][i] - m.vmin) / (m.vmax - m.vmin)) });
        }
      }
    }
    return out;
  }

  function colorbar(m, box, uid) {
    var x = box.r + 14, id = uid + "-cb", stops = "";
    CMAPS[m.cmap].forEach(function (col, i, a) { stops += tag("stop", { offset: i / (a.length - 1), "stop-color": col }); });
    var out = tag("defs", {}, tag("linearGradient", { id: id, x1: 0, y1: 1, x2: 0, y2: 0 }, stops));
    out += tag("rect", { x: x, y: box.t, width: 12, height: box.b - box.t, fill: "url(#" + id + ")", stroke: "#333", "stroke-width": 0.8 });
    var C = mapper([m.vmin, m.vmax], box.b, box.t, false);
    linTicks(m.vmin, m.vmax, 4).forEach(function (tk) {
      out += tag("line", { x1: x + 12, x2: x + 16, y1: r1(C(tk.v)), y2: r1(C(tk.v)), stroke: "#333" });
      out += text(x + 18, C(tk.v) + 4, tk.s, { "font-size": 11 });
    });
    if (m.bar_label) out += text(x + 58, (box.t + box.b) / 2, esc(m.bar_label), { "font-size": 12, "text-anchor": "middle",
      transform: "rotate(90 " + (x + 58) + " " + r1((box.t + box.b) / 2) + ")" });
    return out;
  }

  function axes(c, X, Y, box, heat) {
    var out = "", xt = ticksFor(c.xlim, false, 6, heat, heat && heat.xlabels), yt = ticksFor(c.ylim, c.ylog, 5, heat, heat && heat.ylabels);
    var grid = heat ? null : "#e6e6e6";
    xt.forEach(function (tk) {
      var x = r1(X(tk.v));
      if (grid) out += tag("line", { x1: x, x2: x, y1: box.t, y2: box.b, stroke: grid });
      out += tag("line", { x1: x, x2: x, y1: box.b, y2: box.b + 4, stroke: "#333" }) + text(x, box.b + 17, tk.s, { "text-anchor": "middle" });
    });
    yt.forEach(function (tk) {
      var y = r1(Y(tk.v));
      if (grid) out += tag("line", { x1: box.l, x2: box.r, y1: y, y2: y, stroke: grid });
      out += tag("line", { x1: box.l - 4, x2: box.l, y1: y, y2: y, stroke: "#333" }) + text(box.l - 7, y + 4, tk.s, { "text-anchor": "end" });
    });
    return out;
  }

  function drawChart(c, x0, w, H, uid) {
    var heat = c.marks.filter(function (m) { return m.t === "heatmap"; })[0];
    var rows = legendRows(c, w - 70), top = 10 + (c.title ? 22 : 0) + 18 * rows.length + (rows.length ? 4 : 0);
    var ylw = heat && heat.ylabels ? 7 * Math.max.apply(null, heat.ylabels.map(function (s) { return s.length; })) : 34;
    var box = { l: x0 + 26 + ylw, r: x0 + w - (heat ? 92 : 14), t: top, b: H - (c.xlabel ? 46 : 28) };
    var X = mapper(c.xlim, box.l, box.r, false), Y = mapper(c.ylim, box.b, box.t, c.ylog);
    var clip = uid + "-clip";
    var out = tag("clipPath", { id: clip }, tag("rect", { x: box.l, y: box.t, width: box.r - box.l, height: box.b - box.t }));
    out += axes(c, X, Y, box, heat);
    out += tag("g", { "clip-path": "url(#" + clip + ")" }, c.marks.map(function (m) { return drawMark(m, X, Y, box, c); }).join(""));
    out += tag("rect", { x: box.l, y: box.t, width: box.r - box.l, height: box.b - box.t, fill: "none", stroke: "#333", "stroke-width": 1 });
    if (heat) out += colorbar(heat, box, uid);
    var mid = (box.l + box.r) / 2;
    if (c.title) out += text(mid, 26, esc(c.title), { "font-size": 14, "text-anchor": "middle", "font-weight": "bold" });
    out += drawLegend(rows, mid, top - 18 * rows.length + 4);
    if (c.xlabel) out += text(mid, H - 10, esc(c.xlabel), { "font-size": 13, "text-anchor": "middle" });
    if (c.ylabel) {
      var yl = x0 + 14, ym = r1((box.t + box.b) / 2);
      out += text(yl, ym, esc(c.ylabel), { "font-size": 13, "text-anchor": "middle", transform: "rotate(-90 " + yl + " " + ym + ")" });
    }
    return out;
  }

  // Draw a list of charts side by side into an <svg> element.
  function render(svg, charts, H, uid) {
    var w = W / charts.length, body = tag("rect", { width: W, height: H, fill: "#fff" });
    charts.forEach(function (c, i) { body += drawChart(c, i * w, w, H, uid + "-" + i); });
    svg.innerHTML = tag("g", { "font-family": "sans-serif", "font-size": 11, fill: "#222" }, body);
  }

  // The data is a pool of shared pieces: key "@k" holds the index of one piece, "@@k" the
  // index of a list of indices, "@_" an object to merge in. Identical arrays (a shared
  // x axis, say) and styles are stored once.
  function decode(pool, i, memo) {
    if (memo[i]) return memo[i];
    var v = pool[i], out = v;
    if (!Array.isArray(v)) {
      out = {};
      Object.keys(v).forEach(function (k) {
        if (k.slice(0, 2) === "@@") out[k.slice(2)] = pool[v[k]].map(function (j) { return decode(pool, j, memo); });
        else if (k === "@_") Object.assign(out, decode(pool, v[k], memo));
        else if (k[0] === "@") out[k.slice(1)] = decode(pool, v[k], memo);
        else out[k] = v[k];
      });
    }
    memo[i] = out;
    return out;
  }

  // Draw one figure: its parts are found inside the .rnnfig element, not by id, and
  // the SVG ids it needs (clip paths, gradients) are numbered per page.
  var count = 0;
  function mount(root) {
    var uid = "rnnfig" + (++count), svg = root.querySelector("svg");
    var d = JSON.parse(root.querySelector("script.rnnfig-data").textContent), memo = {};
    var inputs = root.querySelectorAll("input[type=range]"), outs = root.querySelectorAll("output > span");
    function update() {
      var frame = 0, vals = {};
      d.sliders.forEach(function (s, k) {
        var j = Math.round((parseFloat(inputs[k].value) - s.min) / s.step);
        j = Math.max(0, Math.min(s.readouts.length - 1, isNaN(j) ? s.index : j));
        frame = frame * s.readouts.length + j;
        vals[s.name] = s.readouts[j];
        inputs[k].setAttribute("aria-valuetext", s.readouts[j]);
        outs[k].textContent = s.readouts[j];
      });
      var charts = d.pool[d.frames[frame]].map(function (j) { return decode(d.pool, j, memo); });
      render(svg, charts, d.height, uid);
      var alt = d.alt.replace(/\{(\w+)\}/g, function (m, k) { return k in vals ? vals[k] : m; });
      svg.setAttribute("aria-label", alt);
      svg.insertBefore(document.createElementNS("http://www.w3.org/2000/svg", "title"), svg.firstChild).textContent = alt;
    }
    Array.prototype.forEach.call(inputs, function (inp) { inp.addEventListener("input", update); });
    update();
    root.setAttribute("data-ready", "1");
  }
  function mountAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".rnnfig:not([data-ready])"), mount);
  }

  window.RNNFig = { mount: mount, mountAll: mountAll, render: render, version: 2 };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
