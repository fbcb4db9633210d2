// Static renderer of the sliders package: draws precomputed chart specs as SVG.
// No dependencies, no network. The book loads it once per page; a standalone figure
// carries it inline (the guard below keeps a second copy from redefining it). Either
// way it draws every .rnnfig on the page that is not drawn yet. The spec format is
// written by sliders/static.py, which also resolves colours and axis limits and turns
// chart text into runs ([text, shift, italic], from sliders/mathtext.py), so this file
// only lays out and draws.
//
// The SVG is drawn at the size it is shown (one unit is one CSS pixel), so its text
// keeps its size on a phone; below NARROW px the charts of a row are stacked. Colours
// follow the page: the theme's data-theme="dark" (or, on a page without one, the
// system's dark scheme) draws light ink on no background, and every data colour with
// its lightness turned over (hue kept). The frames the text refers to are drawn once
// more, light, for paper.
(function () {
  "use strict";
  if (window.RNNFig) { window.RNNFig.mountAll(); return; }
  var FULL = 720, NARROW = 600, MIN = 280, PRINT_W = 680;
  var CMAPS = __CMAPS__, SYMBOLS = __SYMBOLS__, FUNCTIONS = __FUNCTIONS__;

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
  // Chart text with $...$ maths as runs [text, shift, italic], as sliders/mathtext.py's
  // runs() makes them (which checked this text when the page was built).
  function runs(s) {
    if (Array.isArray(s)) return s;
    var out = [];
    function push(t, shift, it) {
      var last = out[out.length - 1];
      if (last && last[1] === shift && last[2] === it) last[0] += t;
      else out.push([t, shift, it]);
    }
    String(s).split("$").forEach(function (part, i) {
      if (i % 2 === 0) { if (part) push(part, 0, 0); return; }
      var shift = [0], up = [false], pending = null, roman = false, m;
      var re = /\\([A-Za-z]+|.)|([_^])|([{}])|(\s+)|(.)/g;
      function top(a) { return a[a.length - 1]; }
      function emit(t, it) { push(t, pending === null ? top(shift) : pending, it && !top(up) ? 1 : 0); pending = null; }
      while ((m = re.exec(part))) {
        if (m[2]) pending = m[2] === "_" ? -1 : 1;
        else if (m[3] === "{") {
          shift.push(pending === null ? top(shift) : pending); up.push(top(up) || roman);
          pending = null; roman = false;
        } else if (m[3] === "}") { shift.pop(); up.pop(); }
        else if (m[1] === "mathrm" || m[1] === "text") roman = true;
        else if (m[1] && FUNCTIONS.indexOf(m[1]) >= 0) emit(m[1], false);
        else if (m[1]) emit(SYMBOLS[m[1]], SYMBOLS[m[1]] >= "\u03b1" && SYMBOLS[m[1]] <= "\u03c9");
        else if (m[4]) emit(" ", false);
        else emit(m[5] === "-" ? "\u2212" : m[5], /[A-Za-z]/.test(m[5]));
      }
    });
    return out;
  }
  // Runs of text as tspans: scripts smaller and shifted (dy, undone by the next run),
  // variables italic. A plain string is one upright run.
  function rich(t, size) {
    var out = "", cur = 0;
    runs(t).forEach(function (run) {
      var at = run[1] < 0 ? 0.3 * size : run[1] > 0 ? -0.45 * size : 0, a = {};
      if (at !== cur) { a.dy = r1(at - cur); cur = at; }
      if (run[1]) a["font-size"] = r1(size * 0.75);
      if (run[2]) a["font-style"] = "italic";
      out += tag("tspan", a, esc(run[0]));
    });
    return out;
  }
  // How many Latin characters wide, about: scripts are smaller, Hangul and CJK twice as wide.
  function width(s) { return s.length + (s.match(/[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/g) || []).length; }
  function chars(t) {
    return runs(t).reduce(function (n, r) { return n + width(r[0]) * (r[1] ? 0.75 : 1); }, 0);
  }
  function text(x, y, runs, a, size) {
    a = a || {};
    a.x = r1(x); a.y = r1(y);
    if (size) a["font-size"] = size;
    return tag("text", a, rich(runs, size || 11));
  }

  // --- colours: the page's light or dark scheme ------------------------------------------
  function rgbOf(c) {
    if (c[0] === "#") return [1, 3, 5].map(function (i) { return parseInt(c.substr(i, 2), 16); });
    return c.match(/\d+/g).slice(0, 3).map(Number);
  }
  // The same hue and saturation with the HSL lightness turned over: dark blue -> light blue.
  function turned(rgb) {
    var r = rgb[0] / 255, g = rgb[1] / 255, b = rgb[2] / 255;
    var mx = Math.max(r, g, b), mn = Math.min(r, g, b), l = (mx + mn) / 2, d = mx - mn, h = 0, s = 0;
    if (d) {
      s = d / (1 - Math.abs(2 * l - 1));
      h = mx === r ? ((g - b) / d) % 6 : mx === g ? (b - r) / d + 2 : (r - g) / d + 4;
    }
    l = 1 - l;
    var c = (1 - Math.abs(2 * l - 1)) * s, x = c * (1 - Math.abs((h % 2 + 2) % 2 - 1)), m = l - c / 2;
    var p = [[c, x, 0], [x, c, 0], [0, c, x], [0, x, c], [x, 0, c], [c, 0, x]][((Math.floor(h) % 6) + 6) % 6];
    return p.map(function (v) { return Math.round((v + m) * 255); });
  }
  function palette(dark) {
    var memo = {};
    return {
      dark: dark,
      ink: dark ? "#e2e2e2" : "#222222", axis: dark ? "#bbbbbb" : "#333333",
      grid: dark ? "#3a3a3a" : "#e6e6e6",
      col: function (c) {
        if (!dark || !c) return c;
        if (!memo[c]) memo[c] = "rgb(" + turned(rgbOf(c)).join(",") + ")";
        return memo[c];
      },
    };
  }
  function pageIsDark() {
    var t = document.documentElement.getAttribute("data-theme");
    if (t === "dark" || t === "light") return t === "dark";
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
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
  // Less than a decade: 1, 2 and 5 times powers of ten, or finer steps where that gives
  // fewer than 3, as plain numbers; linear ticks if even that gives fewer than 2 (as
  // sliders/mpl.py's _few_log_ticks).
  function fewTicks(lo, hi) {
    var out = [];
    [[1, 2, 5], [1, 2, 3, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]].some(function (subs) {
      out = [];
      for (var e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
        subs.forEach(function (k) {
          var v = +(k * Math.pow(10, e)).toPrecision(12);
          if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push({ v: v, s: fmt(v, v) });
        });
      }
      return out.length >= 3;
    });
    return out.length >= 2 ? out : linTicks(lo, hi, 4);
  }
  // Decades 10^k, or fewTicks when the range spans less than one decade.
  function logTicks(lo, hi, n) {
    var e0 = Math.ceil(Math.log10(lo) - 1e-9), e1 = Math.floor(Math.log10(hi) + 1e-9);
    if (e1 - e0 < 1) return fewTicks(lo, hi);
    var every = Math.ceil((e1 - e0 + 1) / n), out = [];
    for (var e = e0; e <= e1; e += every) out.push({ v: Math.pow(10, e), s: [["10", 0, 0], [minus("" + e), 1, 0]] });
    return out;
  }
  // Heat-map axes index cells: label them with the given names, or with whole numbers.
  function ticksFor(lim, log, n, heat, labels) {
    if (labels) return labels.map(function (s, i) { return { v: i, s: s }; });
    if (heat) {
      var last = Math.round(Math.max(lim[0], lim[1]) - 0.5);
      return last < 1 ? [{ v: 0, s: "0" }] : linTicks(0, last, Math.min(last, n)).filter(function (t) { return t.v % 1 === 0; });
    }
    return log ? logTicks(lim[0], lim[1], n + 2) : linTicks(lim[0], lim[1], n);
  }

  function cmap(name, t, P) {
    var c = CMAPS[name], p = Math.max(0, Math.min(1, t)) * (c.length - 1), i = Math.min(Math.floor(p), c.length - 2);
    var f = p - i, a = rgbOf(c[i]), b = rgbOf(c[i + 1]), rgb = [];
    for (var k = 0; k < 3; k++) rgb.push(Math.round(a[k] + (b[k] - a[k]) * f));
    return P.col("rgb(" + rgb.join(",") + ")");
  }

  // Legend entries, laid out in centred rows above the plot so they never cover data.
  function legendRows(c, width) {
    var items = c.legend ? c.marks.filter(function (m) { return m.label; }) : [];
    var rows = [], row = [], used = 0;
    items.forEach(function (m) {
      var w = 30 + 6.6 * chars(m.label);
      if (row.length && used + w > width) { rows.push({ items: row, w: used }); row = []; used = 0; }
      row.push({ m: m, w: w }); used += w;
    });
    if (row.length) rows.push({ items: row, w: used });
    return rows;
  }
  // A mark's colour, or bar i's (bars coloured one by one index a small table).
  function colorOf(m, i) { return m.cpal ? m.cpal[m.cidx[i || 0]] : m.color; }
  function swatch(m, x, y, P) {
    var col = P.col(colorOf(m, 0));
    if (m.t === "bars" || m.t === "band" || m.t === "heatmap") {
      return tag("rect", { x: x, y: y - 5, width: 18, height: 10, fill: col, "fill-opacity": m.t === "band" ? 0.35 : null });
    }
    if (m.t === "points") return tag("circle", { cx: x + 9, cy: y, r: 3.5, fill: col });
    var s = tag("line", { x1: x, y1: y, x2: x + 18, y2: y, stroke: col, "stroke-width": 2, "stroke-dasharray": m.dash ? "6 4" : null });
    return m.marker ? s + tag("circle", { cx: x + 9, cy: y, r: 3, fill: col }) : s;
  }
  function drawLegend(rows, cx, y0, P) {
    var out = "";
    rows.forEach(function (row, j) {
      var x = cx - row.w / 2, y = y0 + 18 * j;
      row.items.forEach(function (it) {
        out += swatch(it.m, x, y, P) + text(x + 24, y + 4, it.m.label, {}, 12);
        x += it.w;
      });
    });
    return out;
  }

  // One mark in data coordinates; X and Y map data to pixels, box is the plot area.
  function drawMark(m, X, Y, box, c, P) {
    var i, pts = [], out = "", col = m.cpal ? null : P.col(m.color);
    if (m.t === "line") {
      for (i = 0; i < m.x.length; i++) pts.push(r1(X(m.x[i])) + "," + r1(Y(m.y[i])));
      out = tag("polyline", { points: pts.join(" "), fill: "none", stroke: col, "stroke-width": 2,
        "stroke-linejoin": "round", "stroke-dasharray": m.dash ? "6 4" : null });
      if (m.marker) for (i = 0; i < m.x.length; i++) out += tag("circle", { cx: r1(X(m.x[i])), cy: r1(Y(m.y[i])), r: 3, fill: col });
    } else if (m.t === "points") {
      for (i = 0; i < m.x.length; i++) out += tag("circle", { cx: r1(X(m.x[i])), cy: r1(Y(m.y[i])), r: 3.5, fill: col });
    } else if (m.t === "bars") {
      var base = c.ylog ? c.ylim[0] : Math.min(Math.max(0, Math.min(c.ylim[0], c.ylim[1])), Math.max(c.ylim[0], c.ylim[1]));
      for (i = 0; i < m.x.length; i++) {
        var xa = X(m.x[i] - m.width / 2), xb = X(m.x[i] + m.width / 2), ya = Y(base), yb = Y(m.y[i]);
        out += tag("rect", { x: r1(Math.min(xa, xb)), y: r1(Math.min(ya, yb)), width: r1(Math.abs(xb - xa)),
          height: r1(Math.abs(yb - ya)), fill: col || P.col(colorOf(m, i)) });
      }
    } else if (m.t === "band") {
      for (i = 0; i < m.x.length; i++) pts.push(r1(X(m.x[i])) + "," + r1(Y(m.hi[i])));
      for (i = m.x.length - 1; i >= 0; i--) pts.push(r1(X(m.x[i])) + "," + r1(Y(m.lo[i])));
      out = tag("polygon", { points: pts.join(" "), fill: col, "fill-opacity": 0.35, stroke: "none" });
    } else if (m.t === "hline" || m.t === "vline") {
      var h = m.t === "hline", p = h ? r1(Y(m.y)) : r1(X(m.x));
      out = tag("line", { x1: h ? box.l : p, x2: h ? box.r : p, y1: h ? p : box.t, y2: h ? p : box.b,
        stroke: col, "stroke-width": 1.5, "stroke-dasharray": m.dash ? "6 4" : null });
    } else if (m.t === "text") {
      out = text(X(m.x), Y(m.y), m.text, { fill: col,
        "text-anchor": { left: "start", center: "middle", right: "end" }[m.align] }, 12);
    } else if (m.t === "heatmap") {
      for (var r = 0; r < m.z.length; r++) {
        for (i = 0; i < m.z[r].length; i++) {
          var x0 = X(i - 0.5), x1 = X(i + 0.5), y0 = Y(r - 0.5), y1 = Y(r + 0.5);
          // null: a cell with no value, in the grey of m.color
          out += tag("rect", { x: r1(Math.min(x0, x1)), y: r1(Math.min(y0, y1)), width: r1(Math.abs(x1 - x0)) + 0.3,
            height: r1(Math.abs(y1 - y0)) + 0.3, fill: m.z[r][i] === null ? col : cmap(m.cmap, (m.z[r][i] - m.vmin) / (m.vmax - m.vmin), P) });
        }
      }
    }
    return out;
  }

  function colorbar(m, box, uid, P) {
    var x = box.r + 14, id = uid + "-cb", stops = "";
    CMAPS[m.cmap].forEach(function (col, i, a) { stops += tag("stop", { offset: r1(i / (a.length - 1) * 100) / 100, "stop-color": P.col(col) }); });
    var out = tag("defs", {}, tag("linearGradient", { id: id, x1: 0, y1: 1, x2: 0, y2: 0 }, stops));
    out += tag("rect", { x: x, y: box.t, width: 12, height: box.b - box.t, fill: "url(#" + id + ")", stroke: P.axis, "stroke-width": 0.8 });
    var C = mapper([m.vmin, m.vmax], box.b, box.t, false);
    linTicks(m.vmin, m.vmax, 4).forEach(function (tk) {
      out += tag("line", { x1: x + 12, x2: x + 16, y1: r1(C(tk.v)), y2: r1(C(tk.v)), stroke: P.axis });
      out += text(x + 18, C(tk.v) + 4, tk.s, {}, 11);
    });
    // A short label (up to 3 characters) upright, a longer one read from the bottom up.
    var ym = r1((box.t + box.b) / 2);
    if (m.bar_upright) out += text(x + 48, ym + 4, m.bar_label, {}, 12);
    else if (m.bar_label) out += text(x + 58, ym, m.bar_label, { "text-anchor": "middle", transform: "rotate(-90 " + (x + 58) + " " + ym + ")" }, 12);
    return out;
  }

  function axes(c, X, Y, box, heat, P, w) {
    var n = w < 330 ? 4 : 6;
    // Ticks the chart names (a categorical axis) replace the automatic ones.
    var out = "", xt = c.xticks ? c.xticks.map(function (t) { return { v: t[0], s: t[1] }; }) : ticksFor(c.xlim, false, n, heat, heat && heat.xlabels), yt = ticksFor(c.ylim, c.ylog, 5, heat, heat && heat.ylabels);
    var grid = heat ? null : P.grid;
    xt.forEach(function (tk) {
      var x = r1(X(tk.v));
      if (grid) out += tag("line", { x1: x, x2: x, y1: box.t, y2: box.b, stroke: grid });
      out += tag("line", { x1: x, x2: x, y1: box.b, y2: box.b + 4, stroke: P.axis }) + text(x, box.b + 17, tk.s, { "text-anchor": "middle" }, 11);
    });
    yt.forEach(function (tk) {
      var y = r1(Y(tk.v));
      if (grid) out += tag("line", { x1: box.l, x2: box.r, y1: y, y2: y, stroke: grid });
      out += tag("line", { x1: box.l - 4, x2: box.l, y1: y, y2: y, stroke: P.axis }) + text(box.l - 7, y + 4, tk.s, { "text-anchor": "end" }, 11);
    });
    return out;
  }

  // One chart in the box (x0, 0)-(x0 + w, H).
  function drawChart(c, x0, w, H, uid, P) {
    var heat = c.marks.filter(function (m) { return m.t === "heatmap"; })[0];
    var rows = legendRows(c, w - 70), top = 10 + (c.title ? 22 : 0) + 18 * rows.length + (rows.length ? 4 : 0);
    var ylw = heat && heat.ylabels ? 7 * Math.max.apply(null, heat.ylabels.map(chars)) : 34;
    var box = { l: x0 + 26 + ylw, r: x0 + w - (heat ? 92 : 14), t: top, b: H - (c.xlabel ? 46 : 28) };
    var X = mapper(c.xlim, box.l, box.r, false), Y = mapper(c.ylim, box.b, box.t, c.ylog);
    var clip = uid + "-clip";
    var out = tag("clipPath", { id: clip }, tag("rect", { x: box.l, y: box.t, width: box.r - box.l, height: box.b - box.t }));
    out += axes(c, X, Y, box, heat, P, w);
    out += tag("g", { "clip-path": "url(#" + clip + ")" }, c.marks.map(function (m) { return drawMark(m, X, Y, box, c, P); }).join(""));
    out += tag("rect", { x: box.l, y: box.t, width: box.r - box.l, height: box.b - box.t, fill: "none", stroke: P.axis, "stroke-width": 1 });
    if (heat) out += colorbar(heat, box, uid, P);
    var mid = (box.l + box.r) / 2;
    if (c.title) out += text(Math.max(mid, x0 + w / 2), 26, c.title, { "text-anchor": "middle", "font-weight": "bold" }, w < 400 ? 13 : 14);
    out += drawLegend(rows, mid, top - 18 * rows.length + 4, P);
    if (c.xlabel) out += text(mid, H - 10, c.xlabel, { "text-anchor": "middle" }, 13);
    if (c.ylabel) {
      var yl = x0 + 14, ym = r1((box.t + box.b) / 2);
      out += text(yl, ym, c.ylabel, { "text-anchor": "middle", transform: "rotate(-90 " + yl + " " + ym + ")" }, 13);
    }
    return out;
  }

  // The layout at width W: side by side, or stacked (each chart H * 0.9 tall) below NARROW.
  function layout(n, W, H) {
    if (W >= NARROW || n === 1) return { height: H, cells: Array.apply(null, Array(n)).map(function (_, i) { return { x: i * W / n, y: 0, w: W / n, h: H }; }) };
    var h = Math.round(H * 0.9);
    return { height: n * h, cells: Array.apply(null, Array(n)).map(function (_, i) { return { x: 0, y: i * h, w: W, h: h }; }) };
  }
  // Draw a list of charts into an <svg>, W px wide; returns the height used.
  function render(svg, charts, H, uid, W, dark) {
    W = W || FULL;
    var P = palette(!!dark), L = layout(charts.length, W, H), body = "";
    charts.forEach(function (c, i) {
      var cell = L.cells[i], g = drawChart(c, 0, cell.w, cell.h, uid + "-" + i, P);
      body += tag("g", { transform: cell.x || cell.y ? "translate(" + r1(cell.x) + " " + r1(cell.y) + ")" : null }, g);
    });
    svg.setAttribute("viewBox", "0 0 " + r1(W) + " " + L.height);
    svg.setAttribute("width", r1(W));
    svg.setAttribute("height", L.height);
    svg.innerHTML = tag("g", { "font-family": "sans-serif", "font-size": 11, fill: P.ink }, body);
    return L.height;
  }

  // The data is a pool of shared pieces: key "@k" holds the index of one piece, "@@k" the
  // index of a list of indices, "@_" an object to merge in. Identical arrays (a shared
  // x axis, say), texts and styles are stored once.
  function decode(pool, i, memo) {
    if (memo[i] !== undefined) return memo[i];
    var v = pool[i], out = v;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
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
  var count = 0, mounted = [];
  // The frames: JSON, or in the book gzip in base64 (a third of the bytes), which the
  // browser's own DecompressionStream inflates.
  function payload(script) {
    return new Promise(function (resolve) {  // an error anywhere, even thrown here, rejects
      if (script.getAttribute("data-encoding") !== "gzip+base64") return resolve(JSON.parse(script.textContent));
      var bytes = Uint8Array.from(atob(script.textContent.trim()), function (c) { return c.charCodeAt(0); });
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      resolve(new Response(stream).text().then(JSON.parse));
    });
  }
  // A browser that cannot decode the frames shows what a reader without JavaScript sees.
  function still(root, error) {
    var nos = root.querySelector("noscript"), box = document.createElement("div");
    box.innerHTML = nos ? nos.textContent : "";
    var img = box.querySelector("img");
    if (img) {
      Array.prototype.forEach.call(root.querySelectorAll(".rnnfig-controls, svg.rnnfig-live"), function (e) { e.style.display = "none"; });
      root.insertBefore(img, nos);
    }
    root.setAttribute("data-ready", "still");
    if (window.console) console.warn("rnnfig: showing the still image (" + error + ")");
  }
  function mount(root) {
    root.setAttribute("data-ready", "0");
    payload(root.querySelector("script.rnnfig-data")).then(function (d) { show(root, d); }, function (e) { still(root, e); });
  }
  function show(root, d) {
    var uid = "rnnfig" + (++count), svg = root.querySelector("svg.rnnfig-live"), memo = {};
    var inputs = root.querySelectorAll("input[type=range]"), outs = root.querySelectorAll("output > span");
    var state = { width: 0, dark: null, frame: -1 };
    function charts(frame) { return d.pool[d.frames[frame]].map(function (j) { return decode(d.pool, j, memo); }); }
    function width() { return Math.max(MIN, Math.min(FULL, Math.floor(root.clientWidth) || FULL)); }
    function draw(force) {
      var frame = 0, vals = {};
      d.sliders.forEach(function (s, k) {
        var j = Math.round((parseFloat(inputs[k].value) - s.min) / s.step);
        j = Math.max(0, Math.min(s.readouts.length - 1, isNaN(j) ? s.index : j));
        frame = frame * s.readouts.length + j;
        vals[s.name] = s.readouts[j];
        inputs[k].setAttribute("aria-valuetext", s.readouts[j]);
        outs[k].textContent = s.readouts[j];
      });
      var W = width(), dark = pageIsDark();
      if (!force && frame === state.frame && W === state.width && dark === state.dark) return;
      state = { width: W, dark: dark, frame: frame };
      render(svg, charts(frame), d.height, uid, W, dark);
      var alt = d.alt.replace(/\{(\w+)\}/g, function (m, k) { return k in vals ? vals[k] : m; });
      svg.setAttribute("aria-label", alt);
      svg.insertBefore(document.createElementNS("http://www.w3.org/2000/svg", "title"), svg.firstChild).textContent = alt;
    }
    // Paper: each frame the text refers to, under its settings, in light colours.
    var paper = root.querySelector(".rnnfig-print");
    if (paper && d.print) {
      paper.innerHTML = d.print.map(function (p) {
        return '<figure class="rnnfig-frame"><figcaption>' + p.label.map(function (r) {
          var s = esc(r[0]); s = r[2] ? "<i>" + s + "</i>" : s;
          return r[1] < 0 ? "<sub>" + s + "</sub>" : r[1] > 0 ? "<sup>" + s + "</sup>" : s;
        }).join("") + '</figcaption><svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true"></svg></figure>';
      }).join("");
      Array.prototype.forEach.call(paper.querySelectorAll("svg"), function (s, i) {
        render(s, charts(d.print[i].frame), d.height, uid + "p" + i, PRINT_W, false);
      });
    }
    Array.prototype.forEach.call(inputs, function (inp) { inp.addEventListener("input", function () { draw(); }); });
    var reset = root.querySelector(".rnnfig-reset");
    if (reset) reset.addEventListener("click", function () {
      d.sliders.forEach(function (s, k) { inputs[k].value = s.readouts[s.index]; });
      draw();
    });
    draw(true);
    if (window.ResizeObserver) new ResizeObserver(function () { draw(); }).observe(root);
    mounted.push(draw);
    root.setAttribute("data-ready", "1");
  }
  function mountAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".rnnfig:not([data-ready])"), mount);
  }
  // Redraw when the reader switches the theme or the system scheme changes.
  function redrawAll() { mounted.forEach(function (draw) { draw(); }); }
  new MutationObserver(redrawAll).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  if (window.matchMedia) {
    var mq = window.matchMedia("(prefers-color-scheme: dark)");
    if (mq.addEventListener) mq.addEventListener("change", redrawAll);
  }

  window.RNNFig = { mount: mount, mountAll: mountAll, render: render, runs: runs, version: 3 };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
