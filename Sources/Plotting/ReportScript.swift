/// The script of report.html (inline, no network): draws the convergence
/// panels from the page's JSON, toggles optimizers and families in every
/// figure, shows a tooltip for the line under the pointer, switches the
/// x-axis (steps, cost, time) and the scales. Opened with `#selftest`, the
/// page runs its own check of toggling and hovering and writes the result
/// into `<pre id="selftest-result">` (what `make browser-test` reads).
enum ReportScript {
    static let source = #"""
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var state = { x: "cost", logX: true, logY: true, hidden: {}, familyOff: {} };
  var familyOf = {};
  data.optimizers.forEach(function (o) { familyOf[o.name] = o.family; });
  var lines = [];      // drawn runs: {el, svg, panel, name, run, pts: [[px, py, i]]}
  var panels = [];     // {svg, x0, y0, x1, y1}
  var lastHit = null;
  var xLabels = { step: "step (iterations)", cost: "cost (f-eval equivalents)", time: "time (s, optimizer only)" };
  var xKeys = { step: "step", cost: "cost", time: "time" };

  function isOff(name) { return !!state.hidden[name] || !!state.familyOff[familyOf[name]]; }

  function applyVisibility() {
    var els = document.querySelectorAll("[data-optimizer]");
    for (var i = 0; i < els.length; i++) {
      els[i].classList.toggle("off", isOff(els[i].getAttribute("data-optimizer")));
    }
    var boxes = document.querySelectorAll(".family-toggle");
    for (var k = 0; k < boxes.length; k++) { boxes[k].checked = !state.familyOff[boxes[k].value]; }
  }

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var k in attrs) { if (attrs[k] !== null && attrs[k] !== undefined) { e.setAttribute(k, attrs[k]); } }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function text(parent, s, x, y, size, anchor, cls, extra) {
    var t = el("text", { x: x, y: y, "font-size": size, "text-anchor": anchor || "start", fill: "#222", "class": cls || null }, parent);
    if (extra) { for (var k in extra) { t.setAttribute(k, extra[k]); } }
    t.textContent = s;
    return t;
  }

  function fmtNum(v) {
    if (v === null || v === undefined || !isFinite(v)) { return String(v); }
    if (v === 0) { return "0"; }
    var a = Math.abs(v);
    if (a >= 1e-3 && a < 1e5) { return String(+v.toPrecision(4)); }
    return v.toExponential(3).replace(/\.?0+e/, "e").replace("e+", "e");
  }

  // An axis over the values: log (clipping values <= 0 to a floor) or linear.
  function makeScale(values, log, cap) {
    var finite = values.filter(function (v) { return v !== null && isFinite(v); });
    if (log) {
      var pos = finite.filter(function (v) { return v > 0; });
      var maxV = pos.length ? Math.max.apply(null, pos) : 1;
      if (cap !== null && cap > 0 && maxV > cap) { maxV = cap; }
      var minPos = pos.length ? Math.min.apply(null, pos) : maxV / 10;
      var noise = maxV * 1e-32;
      var floorE = Math.floor(Math.log10(Math.max(minPos, noise)));
      var clip = finite.some(function (v) { return v <= 0; }) || minPos < noise;
      var lo = Math.pow(10, floorE - (clip ? 1 : 0));
      var hi = Math.pow(10, Math.ceil(Math.log10(maxV)));
      if (hi <= lo) { hi = lo * 10; }
      return { log: true, lo: lo, hi: hi };
    }
    var a = finite.length ? Math.min.apply(null, finite) : 0, b = finite.length ? Math.max.apply(null, finite) : 1;
    if (cap !== null && b > cap) { b = cap; }
    if (a === b) { var d = a === 0 ? 1 : Math.abs(a) * 0.1; a -= d; b += d; }
    return { log: false, lo: a, hi: b };
  }
  function unit(s, v) {
    if (v === null || !isFinite(v)) { return null; }
    if (s.log) {
      var w = Math.max(v, s.lo);
      return (Math.log10(w) - Math.log10(s.lo)) / (Math.log10(s.hi) - Math.log10(s.lo));
    }
    return (v - s.lo) / (s.hi - s.lo);
  }
  function ticks(s) {
    var out = [];
    if (s.log) {
      var e0 = Math.floor(Math.log10(s.lo)), e1 = Math.ceil(Math.log10(s.hi));
      var every = [1, 2, 3, 5, 10, 20, 50, 100].filter(function (k) { return (e1 - e0) / k <= 7; })[0] || 100;
      for (var e = Math.ceil(e0 / every) * every; e <= e1; e += every) { out.push(Math.pow(10, e)); }
      return out;
    }
    var raw = (s.hi - s.lo) / 5, p = Math.pow(10, Math.floor(Math.log10(raw))), step = 10 * p;
    [1, 2, 5, 10].some(function (m) { if (m * p >= raw) { step = m * p; return true; } return false; });
    for (var v = Math.ceil(s.lo / step) * step; v <= s.hi + step * 1e-9; v += step) { out.push(Math.abs(v) < step * 1e-9 ? 0 : v); }
    return out;
  }

  var PW = 360, PH = 270, ML = 66, MR = 14, MT = 30, MB = 46;

  function drawPanel(svg, ox, oy, problemIndex, runs) {
    var prob = data.problems[problemIndex];
    var xk = xKeys[state.x];
    var g = el("g", { "class": "panel", "data-problem": prob.name }, svg);
    var fx = ox + ML, fy = oy + MT, fw = PW - ML - MR, fh = PH - MT - MB;
    text(g, prob.name.length > 48 ? prob.name.slice(0, 47) + "…" : prob.name, fx + fw / 2, oy + 18, 12, "middle", "panel-title", { "font-weight": "bold" });
    var xs = [], ys = [], starts = [];
    runs.forEach(function (r) {
      var first = null;
      for (var i = 0; i < r.y.length; i++) {
        if (r[xk][i] !== null && (!state.logX || r[xk][i] > 0)) { xs.push(r[xk][i]); }
        if (r.y[i] !== null) { ys.push(r.y[i]); if (first === null) { first = r.y[i]; } }
      }
      if (first !== null) { starts.push(first); }
    });
    var top = starts.length ? Math.max.apply(null, starts) : null;
    var minY = ys.length ? Math.min.apply(null, ys) : 0;
    var cap = top === null ? null : (state.logY ? (top > 0 ? top * 1e3 : 1) : top + Math.max(1e-300, top - minY) * 0.5);
    var sx = makeScale(xs, state.logX, null), sy = makeScale(ys, state.logY, cap);
    var clipId = "ic-clip-" + panels.length;
    var defs = el("defs", {}, g), cp = el("clipPath", { id: clipId }, defs);
    el("rect", { x: fx, y: fy, width: fw, height: fh }, cp);
    el("rect", { x: fx, y: fy, width: fw, height: fh, fill: "#fcfcfc", stroke: "#666" }, g);
    function px(u) { return fx + u * fw; }
    function py(u) { return fy + fh - u * fh; }
    ticks(sx).forEach(function (t) {
      var u = unit(sx, t); if (u === null || u < -1e-9 || u > 1 + 1e-9) { return; }
      el("line", { x1: px(u), y1: fy, x2: px(u), y2: fy + fh, stroke: "#e4e4e4" }, g);
      text(g, fmtNum(t), px(u), fy + fh + 15, 10, "middle", "tick-label");
    });
    ticks(sy).forEach(function (t) {
      var u = unit(sy, t); if (u === null || u < -1e-9 || u > 1 + 1e-9) { return; }
      el("line", { x1: fx, y1: py(u), x2: fx + fw, y2: py(u), stroke: "#e4e4e4" }, g);
      text(g, fmtNum(t), fx - 5, py(u) + 4, 10, "end", "tick-label");
    });
    text(g, xLabels[state.x] + (state.logX ? " (log)" : " (linear)"), fx + fw / 2, fy + fh + 33, 11, "middle", "x-label");
    var yName = prob.y === "gap" ? "gap f − f*" : "loss f(x)";
    text(g, yName + (state.logY ? " (log)" : " (linear)"), fx - 50, fy + fh / 2, 11, "middle", "y-label",
         { transform: "rotate(-90 " + (fx - 50) + " " + (fy + fh / 2) + ")" });
    var layer = el("g", { "clip-path": "url(#" + clipId + ")" }, g);
    var panel = { svg: svg, x0: fx, y0: fy, x1: fx + fw, y1: fy + fh, lines: [] };
    runs.forEach(function (r) {
      var o = data.optimizers[r.o];
      var d = "", pen = false, pts = [];
      for (var i = 0; i < r.y.length; i++) {
        var xv = r[xk][i], yv = r.y[i];
        var ux = (xv === null || (state.logX && xv <= 0)) ? null : unit(sx, xv);
        var uy = unit(sy, yv);
        if (ux === null || uy === null) { pen = false; continue; }
        var X = px(ux), Y = py(Math.min(uy, 1.5));
        d += (pen ? "L" : "M") + X.toFixed(2) + " " + Y.toFixed(2);
        pen = true;
        pts.push([X, Y, i]);
      }
      if (!d) { return; }
      var path = el("path", { "class": "run", "data-optimizer": o.name, "data-seed": r.seed, d: d,
                              stroke: o.colour, "stroke-dasharray": o.dash }, layer);
      var line = { el: path, svg: svg, panel: panel, name: o.name, run: r, pts: pts };
      lines.push(line);
      panel.lines.push(line);
    });
    panels.push(panel);
  }

  function render() {
    var host = document.getElementById("convergence");
    while (host.firstChild) { host.removeChild(host.firstChild); }
    lines = []; panels = [];
    var blocks = data.smallMultiples
      ? data.families.map(function (f) { return { title: "Family: " + (f || "(none)"), family: f }; })
      : [{ title: null, family: null }];
    var nP = data.problems.length, cols = Math.min(nP, data.smallMultiples ? 4 : 3), rows = Math.ceil(nP / cols);
    blocks.forEach(function (b) {
      var head = b.title ? 26 : 4;
      var w = cols * PW, h = head + rows * PH;
      var svg = el("svg", { xmlns: SVGNS, width: w, height: h, viewBox: "0 0 " + w + " " + h, "class": "block",
                            "data-family": b.family, "font-family": "DejaVu Sans, Helvetica, Arial, sans-serif" }, null);
      el("rect", { x: 0, y: 0, width: w, height: h, fill: "#fff" }, svg);
      if (b.title) {
        var n = data.optimizers.filter(function (o) { return o.family === b.family; }).length;
        text(svg, b.title + " (" + n + " optimizer" + (n === 1 ? "" : "s") + ", own palette)", 8, 18, 13, "start", "block-title", { "font-weight": "bold" });
      }
      for (var p = 0; p < nP; p++) {
        var runs = data.runs.filter(function (r) {
          return r.p === p && (b.family === null || data.optimizers[r.o].family === b.family);
        });
        drawPanel(svg, (p % cols) * PW, head + Math.floor(p / cols) * PH, p, runs);
        if (!runs.length) {
          text(svg, "no runs" + (b.family === null ? "" : " of this family") + " on this problem",
               (p % cols) * PW + ML + (PW - ML - MR) / 2, head + Math.floor(p / cols) * PH + MT + (PH - MT - MB) / 2, 12, "middle", "empty-note", { fill: "#888" });
        }
      }
      svg.addEventListener("mousemove", onMove);
      svg.addEventListener("mouseleave", hideTip);
      host.appendChild(svg);
    });
    applyVisibility();
  }

  function hideTip() {
    document.getElementById("tooltip").hidden = true;
    if (lastHit) { lastHit.line.el.classList.remove("hover"); }
    lastHit = null;
  }

  function onMove(ev) {
    var svg = ev.currentTarget;
    var pt = svg.createSVGPoint();
    pt.x = ev.clientX; pt.y = ev.clientY;
    var m = svg.getScreenCTM();
    if (!m) { return; }
    var p = pt.matrixTransform(m.inverse());
    var best = null, bestD = 144;   // within 12 px
    panels.forEach(function (panel) {
      if (panel.svg !== svg || p.x < panel.x0 - 6 || p.x > panel.x1 + 6 || p.y < panel.y0 - 6 || p.y > panel.y1 + 6) { return; }
      panel.lines.forEach(function (line) {
        if (isOff(line.name)) { return; }
        for (var k = 0; k < line.pts.length; k++) {
          var dx = line.pts[k][0] - p.x, dy = line.pts[k][1] - p.y, d = dx * dx + dy * dy;
          if (d < bestD) { bestD = d; best = { line: line, k: k }; }
        }
      });
    });
    if (!best) { hideTip(); return; }
    if (lastHit && lastHit.line !== best.line) { lastHit.line.el.classList.remove("hover"); }
    best.line.el.classList.add("hover");
    lastHit = best;
    var r = best.line.run, i = best.line.pts[best.k][2];
    var tip = document.getElementById("tooltip");
    tip.textContent = best.line.name + "\nseed " + r.seed + "\nstep " + fmtNum(r.step[i]) + "\ncost " + fmtNum(r.cost[i]) +
      "\ntime " + fmtNum(r.time[i]) + " s\n" + data.problems[r.p].y + " " + fmtNum(r.y[i]) + "\n(" + data.problems[r.p].name + ")";
    tip.hidden = false;
    tip.style.left = (ev.pageX + 14) + "px";
    tip.style.top = (ev.pageY + 14) + "px";
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target.closest ? ev.target.closest(".legend-item, g.legend-entry") : null;
    if (!t) { return; }
    var name = t.getAttribute("data-optimizer");
    state.hidden[name] = !state.hidden[name];
    applyVisibility();
  });
  document.getElementById("show-all").addEventListener("click", function () {
    state.hidden = {}; state.familyOff = {}; applyVisibility();
  });
  Array.prototype.forEach.call(document.querySelectorAll(".family-toggle"), function (cb) {
    cb.addEventListener("change", function () { state.familyOff[cb.value] = !cb.checked; applyVisibility(); });
  });
  document.getElementById("x-axis").addEventListener("change", function (ev) { state.x = ev.target.value; render(); });
  document.getElementById("log-x").addEventListener("change", function (ev) { state.logX = ev.target.checked; render(); });
  document.getElementById("log-y").addEventListener("change", function (ev) { state.logY = ev.target.checked; render(); });

  // The page's own browser test: toggling and hovering, written into the DOM.
  function selftest() {
    var r = { checks: {} };
    function check(name, ok, detail) { r.checks[name] = { ok: !!ok, detail: detail === undefined ? null : detail }; }
    function withName(n) {
      return Array.prototype.filter.call(document.querySelectorAll("[data-optimizer]"), function (e) { return e.getAttribute("data-optimizer") === n; });
    }
    function click(e) { e.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true })); }
    function change(e) { e.dispatchEvent(new Event("change", { bubbles: true })); }
    var name = data.optimizers[0].name;
    var els = withName(name);
    var figures = [];
    els.forEach(function (e) { var s = e.closest("svg"); if (s && !e.closest(".legend-item") && figures.indexOf(s) < 0) { figures.push(s); } });
    check("optimizer appears in several figures", figures.length >= 2, figures.length);
    var button = Array.prototype.filter.call(document.querySelectorAll(".legend-item"), function (b) { return b.getAttribute("data-optimizer") === name; })[0];
    click(button);
    var drawn = els.filter(function (e) { return e.closest("svg") && !e.closest(".legend-item") && !e.classList.contains("legend-entry"); });
    check("legend click hides it in every figure", drawn.length > 0 && drawn.every(function (e) { return getComputedStyle(e).display === "none"; }), drawn.length);
    check("legend entry marked off", button.classList.contains("off"));
    click(button);
    check("second click shows it again", drawn.every(function (e) { return getComputedStyle(e).display !== "none"; }));
    var entry = document.querySelector("figure svg g.legend-entry");
    if (entry) {
      var en = entry.getAttribute("data-optimizer");
      click(entry);
      var hiddenNow = withName(en).filter(function (e) { return e.classList.contains("run"); });
      check("clicking a static figure's legend toggles too", hiddenNow.length > 0 && hiddenNow.every(function (e) { return getComputedStyle(e).display === "none"; }), en);
      click(entry);
    }
    // Hover: the middle point of a visible line with several points.
    // A point of a line with no other line's point within 4 px (mouse events
    // carry whole client pixels, so the pointer lands within a pixel of it).
    var target = null, pk = null;
    for (var li = 0; li < lines.length && !target; li++) {
      var cand = lines[li];
      for (var q = Math.floor(cand.pts.length / 2); q < cand.pts.length && !target; q++) {
        var pt0 = cand.pts[q];
        if (pt0[0] < cand.panel.x0 || pt0[0] > cand.panel.x1 || pt0[1] < cand.panel.y0 || pt0[1] > cand.panel.y1) { continue; }
        // No other point within 4 px — of another line, or of this line's own neighbours.
        var lonely = cand.panel.lines.every(function (other) {
          return other.pts.every(function (o, oi) {
            return (other === cand && oi === q) || (o[0] - pt0[0]) * (o[0] - pt0[0]) + (o[1] - pt0[1]) * (o[1] - pt0[1]) > 16;
          });
        });
        if (lonely) { target = cand; pk = pt0; }
      }
    }
    var sp = target.svg.createSVGPoint(); sp.x = pk[0]; sp.y = pk[1];
    var c = sp.matrixTransform(target.svg.getScreenCTM());
    target.svg.dispatchEvent(new MouseEvent("mousemove", { clientX: c.x, clientY: c.y, bubbles: true }));
    var tip = document.getElementById("tooltip");
    var hit = lastHit;
    var ok = !tip.hidden && hit !== null;
    var detail = tip.textContent;
    if (ok) {
      var hp = hit.line.pts[hit.k], i = hp[2], run = hit.line.run;
      ok = Math.abs(hp[0] - pk[0]) < 0.5 && Math.abs(hp[1] - pk[1]) < 0.5 &&
        tip.textContent.indexOf(hit.line.name + "\n") === 0 && tip.textContent.indexOf("seed " + run.seed) > 0 &&
        tip.textContent.indexOf("step " + fmtNum(run.step[i])) > 0 && tip.textContent.indexOf("cost " + fmtNum(run.cost[i])) > 0 &&
        tip.textContent.indexOf("time " + fmtNum(run.time[i])) > 0 && tip.textContent.indexOf(fmtNum(run.y[i])) > 0 &&
        hit.line.el.classList.contains("hover");
    }
    if (!ok && hit) { detail += " | target " + target.name + " seed " + target.run.seed + " at " + pk[0].toFixed(2) + "," + pk[1].toFixed(2) +
                               "; hit " + hit.line.name + " seed " + hit.line.run.seed + " at " + hit.line.pts[hit.k][0].toFixed(2) + "," + hit.line.pts[hit.k][1].toFixed(2); }
    check("hover shows optimizer, seed, step, cost, time and value", ok, detail);
    r.hover = detail;
    // A hidden optimizer is never hovered.
    if (hit) {
      state.hidden[hit.line.name] = true; applyVisibility();
      target.svg.dispatchEvent(new MouseEvent("mousemove", { clientX: c.x, clientY: c.y, bubbles: true }));
      check("hidden lines are not hovered", tip.hidden || (lastHit && lastHit.line.name !== hit.line.name));
      state.hidden = {}; applyVisibility();
    }
    hideTip();
    // Family checkbox.
    var box = document.querySelector(".family-toggle");
    box.checked = false; change(box);
    var fam = box.value;
    var famLines = lines.filter(function (l) { return familyOf[l.name] === fam; });
    var others = lines.filter(function (l) { return familyOf[l.name] !== fam; });
    check("family checkbox hides that family", famLines.length > 0 && famLines.every(function (l) { return getComputedStyle(l.el).display === "none"; }) &&
          others.every(function (l) { return getComputedStyle(l.el).display !== "none"; }), fam);
    box.checked = true; change(box);
    // x-axis and y-scale switches.
    var sel = document.getElementById("x-axis");
    sel.value = "time"; change(sel);
    var xl = document.querySelector("#convergence .x-label");
    check("x-axis switch to time", xl && xl.textContent.indexOf("time") === 0, xl && xl.textContent);
    sel.value = "step"; change(sel);
    xl = document.querySelector("#convergence .x-label");
    check("x-axis switch to steps", xl && xl.textContent.indexOf("step") === 0, xl && xl.textContent);
    var ly = document.getElementById("log-y");
    ly.checked = false; change(ly);
    var yl = document.querySelector("#convergence .y-label");
    check("y switch to linear", yl && yl.textContent.indexOf("(linear)") > 0, yl && yl.textContent);
    ly.checked = true; change(ly);
    sel.value = "cost"; change(sel);
    // Small multiples by family, each family with its own colours.
    var blocks = document.querySelectorAll("#convergence svg.block");
    if (data.smallMultiples) {
      var colours = {};
      data.optimizers.forEach(function (o) { (colours[o.family] = colours[o.family] || []).push(o.colour); });
      var fams = Object.keys(colours), disjoint = true;
      for (var a = 0; a < fams.length; a++) { for (var b = a + 1; b < fams.length; b++) {
        colours[fams[a]].forEach(function (x) { if (colours[fams[b]].indexOf(x) >= 0) { disjoint = false; } });
      } }
      check("small multiples: one block per family", blocks.length === data.families.length, blocks.length);
      check("each family has its own palette", disjoint);
    } else {
      check("one block when at most " + data.familyThreshold + " optimizers", blocks.length === 1, blocks.length);
    }
    r.optimizers = data.optimizers.length;
    r.lines = lines.length;
    r.ok = Object.keys(r.checks).every(function (k) { return r.checks[k].ok; });
    var pre = document.createElement("pre");
    pre.id = "selftest-result";
    pre.textContent = JSON.stringify(r);
    document.body.insertBefore(pre, document.body.firstChild);
    document.body.setAttribute("data-selftest", r.ok ? "pass" : "fail");
  }
  // The script sits in the middle of the page: draw and test once the
  // figures after it are parsed too.
  function start() {
    render();
    if (location.hash !== "#selftest") { return; }
    try { selftest(); } catch (e) {
      var pre = document.createElement("pre");
      pre.id = "selftest-result";
      pre.textContent = JSON.stringify({ ok: false, error: String(e && e.stack || e) });
      document.body.insertBefore(pre, document.body.firstChild);
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
"""#
}
