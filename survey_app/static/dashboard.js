/* Live results dashboard: fetch /data, draw it in place, refetch when /events says the data changed.
   Charts are redrawn with Plotly.react and table rows are reused, so an update never flickers.
   If the event stream drops (server restart, network), the page polls /data every 3 s until it is back. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root) return;
  var form = document.getElementById("dash-filter"), statusLine = document.getElementById("live-status");
  var manage = root.getAttribute("data-manage") === "1";
  var POLL_MS = 3000, STATS_QUIET_MS = 8000, STATS_MIN_MS = 30000;
  var st = { version: null, shown: null, seq: 0, drawn: 0, busy: false, again: false, poll: null,
             statsAt: 0, statsTimer: null, ciFor: null, ci: null, fingerprint: null };
  // Chinese labels come from the text catalogue through the page (texts_zh.labels), never from here.
  var LABELS = JSON.parse(root.getAttribute("data-labels") || "{}");
  var STATUS = LABELS.status || {}, AVAIL = LABELS.availability || {};
  function labelOf(map, code) { return map[code] || code; }
  var SCALE = ["#1b7f3b", "#74b96f", "#f2c14e", "#e8833a", "#c0392b"];  // satisfied → dissatisfied
  var NEUTRAL = ["#0b5cad", "#5b9bd5", "#9cc3e6", "#b4b9bf", "#6c7a89", "#d9a441", "#7e57c2", "#26a69a"];
  // topojsonURL: the bundle's default points at plotly's CDN; only geo maps (not in the
  // basic bundle) would use it, but on a closed network nothing may even try.
  var CONFIG = { displayModeBar: false, responsive: true, locale: "zh-CN", topojsonURL: "/static/vendor/plotly/" };
  var FONT = { family: '-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif', size: 12 };

  function $(id) { return document.getElementById(id); }
  function text(el, value) { if (el && el.textContent !== value) el.textContent = value; }
  function pct(x) { return x === null || x === undefined ? "—" : x.toFixed(2) + "%"; }
  function num(x) { return x === null || x === undefined ? "—" : String(+x.toFixed(2)); }
  function bj(iso) {
    if (!iso) return "—";
    return new Date(iso + "Z").toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false });
  }
  function clock() { return new Date().toLocaleTimeString("zh-CN", { hour12: false }); }
  function status(message, cls) { text(statusLine, message); statusLine.className = "live-status " + (cls || ""); }
  function groupLabel(key) { return key === "county" ? "县（市、区）" : key === "category" ? "类别" : key.replace(/^attribute:/, ""); }

  /* The view lives in the URL (shareable): since, until, county, category, include, by. */
  function query() {
    var q = new URLSearchParams();
    ["since", "until", "county", "category", "by"].forEach(function (name) {
      var v = form.elements[name].value; if (v) q.set(name, v);
    });
    var include = ["valid"];
    if ($("f-flagged").checked) include.push($("f-flagged").value);
    if ($("f-excluded").checked) include.push($("f-excluded").value);
    if (include.join(",") !== "valid,flagged") q.set("include", include.join(","));
    return q;
  }
  function applyView() {
    var q = query().toString();
    history.replaceState(null, "", location.pathname + (q ? "?" + q : ""));
    st.shown = null; st.ciFor = null; st.statsAt = 0;
    load(true);
  }

  /* One data request at a time; a change noticed meanwhile triggers exactly one more. */
  /* A periodic poll (poll = true) accepts an answer the server built up to 2 s before. */
  function load(withStats, poll) {
    if (st.busy && !withStats) { st.again = true; return; }
    var q = query(), seq = ++st.seq, headers = { Accept: "application/json" };
    if (withStats) { q.set("stats", "1"); st.statsAt = Date.now(); } else st.busy = true;
    if (poll) headers["X-Dashboard-Poll"] = "1";
    fetch(root.getAttribute("data-data-url") + "?" + q, { credentials: "same-origin", cache: "no-cache", headers: headers })
      .then(function (r) {
        if (r.status === 401) throw new Error("login");
        if (!r.ok) return r.json().then(function (e) { throw new Error(e.message || ("HTTP " + r.status)); });
        return r.json();
      })
      .then(function (data) {
        $("dash-error").hidden = true;
        // A CI still computing for the current data comes back as the last one, with its own fingerprint.
        if (data.header.ci) { st.ci = data.header.ci; st.ciFor = data.header.ci.fingerprint || data.fingerprint; }
        if (withStats && data.header.ci_pending) st.statsAt = 0;  // ask again after the quiet time, not 30 s
        if (seq > st.drawn) { st.drawn = seq; draw(data); }
        else drawCi();
      })
      .catch(function (err) {
        if (err.message === "login") { status("登录已失效，请刷新页面重新登录", "offline"); return; }
        if (err instanceof TypeError) return;  // network: the live channel reports it and retries
        var box = $("dash-error"); text(box, "无法加载数据：" + err.message); box.hidden = false;
      })
      .then(function () {
        if (withStats) return;
        st.busy = false;
        if (st.again) { st.again = false; load(false); }
      });
  }

  /* The 95 % interval is costly on large surveys: ask for it on load, then only once answers pause. */
  function planStats() {
    if (st.ciFor === st.fingerprint) return;
    clearTimeout(st.statsTimer);
    var wait = Math.max(STATS_QUIET_MS, STATS_MIN_MS - (Date.now() - st.statsAt));
    st.statsTimer = setTimeout(function () { load(true); }, wait);
  }

  function draw(data) {
    st.version = data.version; st.fingerprint = data.fingerprint;
    var key = data.version + "|" + data.fingerprint + "|" + (data.header.ci ? "ci" : "");
    if (key !== st.shown) {
      st.shown = key;
      drawHeader(data);
      data.questions.forEach(drawQuestion);
      drawCoverage(data.coverage, data.links || {});
      drawBreakdown(data.breakdown);
    }
    drawCi();
    planStats();
    if (!st.poll) status("实时更新中 · 最近更新 " + clock(), "live");
  }

  function drawHeader(d) {
    var h = d.header;
    text($("h-answers"), (h.valid + h.flagged) + " / " + h.total);
    text($("h-answers-note"), "纳入统计 " + h.used + " 份；" + labelOf(STATUS, "flagged") + " " + h.flagged + "，" + labelOf(STATUS, "excluded") + " " + h.excluded);
    text($("h-coverage"), h.units_met + " / " + h.units);
    text($("h-coverage-note"), h.units - h.units_met ? (h.units - h.units_met) + " 个单位未达到最少份数" : "全部达标");
    text($("h-composite"), pct(h.composite));
    var tag = h.provisional ? $("dashboard").getAttribute("data-provisional") + " " : "";
    text($("h-score"), h.points === null ? "—" : tag + num(h.points) + " / " + num(h.weight) + " 分");
    $("dash-empty").hidden = h.total !== 0;
    text($("h-band"), h.band ? "满意度区间 " + h.band.min + "%（含）—" + h.band.max + "%" : "");
    text($("h-working"), h.working_zh ? (h.provisional_zh || "") + h.working_zh : "");
    var avail = d.survey.availability;
    text($("h-status"), labelOf(AVAIL, avail));
    $("h-status").className = "avail-" + avail;
  }

  function drawCi() {
    var ci = st.ci, el = $("h-ci");
    if (!ci) { text(el, "95% 置信区间：计算中…"); return; }
    var body = ci.low === null ? (ci.skipped_reason_zh || "—") : "95% 置信区间 " + ci.low.toFixed(2) + "%–" + ci.high.toFixed(2) + "%";
    text(el, body + (ci.low !== null && st.ciFor !== st.fingerprint ? "（基于 " + (ci.n === undefined ? ci.used : ci.n) + " 份，稍后更新）" : "")
      + (ci.score_chances_zh ? " · " + ci.score_chances_zh : ""));
  }

  function questionCard(q) {
    var card = $("q-" + q.id);
    if (card) return card;
    card = document.createElement("article");
    card.className = "panel qcard"; card.id = "q-" + q.id;
    card.innerHTML = '<h3></h3><p class="qsat"></p><div class="chart"></div>' +
      '<table class="counts"><thead><tr><th>选项</th><th class="num">人数</th><th class="num">占比</th></tr></thead><tbody></tbody></table>';
    // The number respondents saw ("4", a matrix row "2.1"), as in the appendix; the id otherwise.
    card.querySelector("h3").textContent = (q.number || q.id) + " " + (q.topic || q.text);
    card.querySelector("h3").title = q.text;
    card.querySelector(".chart").id = "chart-" + q.id;
    $("questions").appendChild(card);
    return card;
  }

  function drawQuestion(q) {
    var card = questionCard(q);
    var palette = q.scored ? SCALE : NEUTRAL, traces, multiple = q.type === "multiple";
    var colour = function (i) { return multiple ? NEUTRAL[0] : palette[Math.round(i * (palette.length - 1) / Math.max(1, q.options.length - 1))]; };
    text(card.querySelector(".qsat"), (q.scored ? "满意度 " + pct(q.satisfaction) : "不计分题") + (multiple ? " · 作答 " + q.n + " 人（合计选择 " + q.mentions + " 人次，比例为占作答人数）" : " · 作答 " + q.n + " 人"));
    fillRows(card.querySelector("tbody"), q.options, function (o) { return o.key; },
      function (o) { return [o.label, String(o.count), o.share.toFixed(2) + "%"]; },
      function (tr, o) { tr.cells[0].style.setProperty("--swatch", colour(q.options.indexOf(o))); tr.cells[0].className = "swatch"; });
    if (!window.Plotly) return;
    if (q.type === "multiple") {
      traces = [{ type: "bar", orientation: "h", y: q.options.map(function (o) { return o.label; }), x: q.options.map(function (o) { return o.share; }),
        customdata: q.options.map(function (o) { return o.count; }), text: q.options.map(function (o) { return o.share.toFixed(1) + "%"; }),
        textposition: "auto", marker: { color: NEUTRAL[0] }, hovertemplate: "%{y}：%{customdata} 人（%{x:.1f}%）<extra></extra>" }];
    } else {
      traces = q.options.map(function (o, i) {
        return { type: "bar", orientation: "h", name: o.label, y: [""], x: [o.share], customdata: [o.count],
          text: [o.share >= 5 ? o.share.toFixed(1) + "%" : ""], textposition: "inside", insidetextanchor: "middle",
          marker: { color: colour(i) },
          hovertemplate: o.label + "：%{customdata} 人（%{x:.1f}%）<extra></extra>" };
      });
    }
    // No legend: the counts table below carries each option's colour, so nothing overlaps the bar.
    Plotly.react("chart-" + q.id, traces, {
      barmode: multiple ? "group" : "stack", height: multiple ? 24 + 26 * q.options.length : 52, font: FONT,
      margin: { l: multiple ? 120 : 4, r: 8, t: 4, b: 4 }, showlegend: false,
      xaxis: { range: [0, 100], visible: false, fixedrange: true }, yaxis: { fixedrange: true, automargin: true, autorange: "reversed" },
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", uirevision: q.id
    }, CONFIG);
  }

  /* Update a tbody in place: rows keyed by id are reused and moved, never rebuilt. */
  function fillRows(tbody, items, keyOf, cellsOf, decorate) {
    var old = {}, keep = {};
    Array.prototype.forEach.call(tbody.rows, function (tr) { old[tr.getAttribute("data-key")] = tr; });
    items.forEach(function (item) {
      var key = String(keyOf(item)), cells = cellsOf(item), tr = old[key];
      if (!tr) { tr = document.createElement("tr"); tr.setAttribute("data-key", key); }
      while (tr.cells.length < cells.length) tr.insertCell().className = tr.cells.length > 1 ? "num" : "";
      cells.forEach(function (value, i) { text(tr.cells[i], value); });
      if (decorate) decorate(tr, item);
      keep[key] = true;
      tbody.appendChild(tr);
    });
    Object.keys(old).forEach(function (key) { if (!keep[key]) old[key].remove(); });
  }

  function drawCoverage(rows, links) {
    fillRows(document.querySelector("#coverage tbody"), rows, function (r) { return r.unit; }, function (r) {
      var state = r.met ? "已达标" : r.valid === 0 ? "尚无答卷" : "差 " + r.short_by + " 份";
      return [r.name, r.county || "—", r.category || "—", r.valid + " / " + r.minimum, String(r.used), bj(r.last_at), state];
    }, function (tr, r) {
      tr.className = r.met ? "row-met" : r.valid === 0 ? "row-none" : "row-short";
      [1, 2, 5, 6].forEach(function (i) { tr.cells[i].className = ""; });
      if (!manage) return;
      var link = links[r.unit] || {}, cell = tr.cells[7] || tr.insertCell();
      cell.className = "manage-only";
      if (cell.getAttribute("data-href") !== (link.answer || "")) {
        cell.setAttribute("data-href", link.answer || "");
        cell.innerHTML = "";
        if (link.answer) { var a = document.createElement("a"); a.href = link.answer; a.target = "_blank"; a.rel = "noopener"; a.textContent = "问卷链接"; cell.appendChild(a); }
        if (link.distribution) { var b = document.createElement("a"); b.href = link.distribution; b.textContent = " 分发/二维码"; cell.appendChild(b); }
      }
    });
  }

  function drawBreakdown(b) {
    var select = $("f-group");
    if (select.options.length !== b.options.length) {
      select.innerHTML = "";
      b.options.forEach(function (key) { select.add(new Option(groupLabel(key), key)); });
    }
    if (b.by) select.value = b.by;
    $("breakdown-body").hidden = !b.options.length;
    $("breakdown-none").hidden = !!b.options.length;
    if (!b.options.length) return;
    var label = function (r) { return r.group === null ? "未归属" : String(r.group); };
    fillRows(document.querySelector("#breakdown tbody"), b.rows, label, function (r) {
      return [label(r), String(r.units), String(r.used), pct(r.composite)];
    });
    if (!window.Plotly) return;
    Plotly.react("chart-breakdown", [{ type: "bar", orientation: "h", y: b.rows.map(label), x: b.rows.map(function (r) { return r.composite; }),
      customdata: b.rows.map(function (r) { return r.used; }), text: b.rows.map(function (r) { return pct(r.composite); }), textposition: "auto",
      marker: { color: "#0b5cad" }, hovertemplate: "%{y}：%{x:.2f}%（%{customdata} 份）<extra></extra>" }], {
      height: 50 + 30 * Math.max(1, b.rows.length), font: FONT, margin: { l: 8, r: 16, t: 4, b: 24 },
      xaxis: { range: [0, 100], ticksuffix: "%", fixedrange: true }, yaxis: { automargin: true, autorange: "reversed", fixedrange: true },
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", uirevision: b.by
    }, CONFIG);
  }

  /* Live channel: server-sent events; polling while it is down; a fresh load whenever it (re)connects. */
  function polling(on) {
    if (on && !st.poll) { st.poll = setInterval(function () { load(false, true); }, POLL_MS); status("连接中断，每 3 秒自动刷新，正在重连…", "offline"); }
    if (!on && st.poll) { clearInterval(st.poll); st.poll = null; }
  }
  function connect() {
    if (!window.EventSource) { polling(true); return; }
    var source = new EventSource(root.getAttribute("data-events-url"));
    // The server's stream slots are all taken: it ends the stream with a long `retry`, after
    // which the browser tries again by itself; until then this page polls like when the stream is down.
    source.addEventListener("busy", function () { polling(true); status("实时连接名额已满，每 3 秒自动刷新，稍后重试", "offline"); });
    source.addEventListener("version", function (ev) {
      var wasPolling = !!st.poll;
      polling(false);
      if (JSON.parse(ev.data).version !== st.version || wasPolling) load(false);
      else status("实时更新中 · 最近更新 " + clock(), "live");
    });
    source.onerror = function () {
      polling(true);
      if (source.readyState === EventSource.CLOSED) { source.close(); setTimeout(connect, 5000); }
    };
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); applyView(); });
  form.addEventListener("change", function (ev) { if (ev.target.type === "checkbox" || ev.target.tagName === "SELECT") applyView(); });
  $("f-group").addEventListener("change", function () { form.elements.by.value = this.value; applyView(); });
  load(false);
  load(true);
  connect();
})();
