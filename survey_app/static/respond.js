/* Respondent page enhancements; the form works fully without them.
   - follow-up questions appear only when their condition holds (data-show-if)
   - an answered-count progress line
   - a draft kept in localStorage, restored after a reload or a lost connection
   - a unit filter on the open link, and an offline guard on submit */
(function () {
  "use strict";
  var store = null;
  try { store = window.localStorage; store.setItem("_t", "1"); store.removeItem("_t"); } catch (e) { store = null; }

  var done = document.getElementById("done");
  if (done) { if (store) store.removeItem(done.getAttribute("data-draft-key")); return; }

  var form = document.getElementById("survey-form");
  if (!form) return;
  var key = form.getAttribute("data-draft-key");
  var fields = function () { return form.querySelectorAll("input[name^=q_],textarea[name^=q_],select[name=unit],input[name=unit_other]"); };

  function checkedValues(name) {
    var out = [];
    form.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (i) { out.push(i.value); });
    return out;
  }

  function applyFollowups() {
    form.querySelectorAll("[data-show-if]").forEach(function (box) {
      var spec = box.getAttribute("data-show-if").split(":");
      var wanted = spec[1].split(",");
      var on = checkedValues(spec[0]).some(function (v) { return wanted.indexOf(v) >= 0; });
      box.classList.toggle("on", on);
    });
  }

  function answered(box) {
    var inputs = box.querySelectorAll("input,textarea,select");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) return true; }
      else if (el.type !== "search" && el.name !== "unit_other" && el.value.trim() !== "") return true;
    }
    return false;
  }

  function progress() {
    var total = 0, done = 0;
    form.querySelectorAll("[data-q]").forEach(function (box) {
      if (box.classList.contains("followup") && !box.classList.contains("on")) return;
      total++; if (answered(box)) done++;
    });
    document.getElementById("progress").textContent = "已答 " + done + " / " + total + " 题";
  }

  function snapshot() {
    var data = {};
    fields().forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.value.trim() === "") return;
      (data[el.name] = data[el.name] || []).push(el.value);
    });
    return data;
  }

  function restore(data) {
    fields().forEach(function (el) {
      var vals = data[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") el.checked = vals.indexOf(el.value) >= 0;
      else el.value = vals.length ? vals[0] : "";
    });
  }

  var timer = null;
  function saveNow() {
    clearTimeout(timer);
    if (!store) return;
    var values = snapshot();
    try {
      if (Object.keys(values).length) store.setItem(key, JSON.stringify({ saved: Date.now(), values: values }));
      else store.removeItem(key);
    } catch (e) { /* quota or private mode: the form still works */ }
  }
  function save() { clearTimeout(timer); timer = setTimeout(saveNow, 250); }
  // Leaving the page (switching to WeChat, reloading) must not drop the last keystrokes.
  window.addEventListener("pagehide", saveNow);
  document.addEventListener("visibilitychange", function () { if (document.hidden) saveNow(); });

  function refresh() { applyFollowups(); progress(); }

  form.addEventListener("change", function () { refresh(); saveNow(); });
  form.addEventListener("input", function () { progress(); save(); });
  form.addEventListener("submit", function (ev) {
    if (navigator.onLine === false) {
      ev.preventDefault();
      document.getElementById("offline-note").hidden = false;
      return;
    }
    var button = form.querySelector("button[type=submit]");
    setTimeout(function () { button.disabled = true; button.textContent = "正在提交…"; }, 0);
  });
  window.addEventListener("pageshow", function () {
    var button = form.querySelector("button[type=submit]");
    button.disabled = false; button.textContent = "提交问卷";
  });
  window.addEventListener("online", function () { document.getElementById("offline-note").hidden = true; });

  var note = document.getElementById("draft-note");
  if (store && form.hasAttribute("data-fresh")) {
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved && saved.values && Object.keys(saved.values).length) { restore(saved.values); note.hidden = false; }
  } else { save(); }
  document.getElementById("draft-clear").addEventListener("click", function () {
    if (store) store.removeItem(key);
    restore({}); note.hidden = true; refresh();
  });

  var filter = document.getElementById("unit-filter"), select = document.getElementById("unit-select");
  if (filter && select) {
    var all = Array.prototype.slice.call(select.options).map(function (o) { return [o.value, o.text]; });
    filter.hidden = false;
    filter.addEventListener("input", function () {
      var q = filter.value.trim(), current = select.value;
      select.innerHTML = "";
      all.forEach(function (pair) {
        if (!q || pair[0] === "" || pair[0] === "other" || pair[1].indexOf(q) >= 0 || pair[0] === current) {
          var o = new Option(pair[1], pair[0]); o.selected = pair[0] === current; select.add(o);
        }
      });
    });
  }
  refresh();
})();
