/* Respondent page enhancements; the form works fully without them.
   - follow-up questions appear only when their condition holds (data-show-if)
   - an answered-count progress line
   - a draft kept in localStorage, restored after a reload or a lost connection
   - a unit filter on the open link
   - submission in the background with retries, held while offline and sent on reconnection */
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
      var follow = box.closest(".followup");  // a follow-up, or a row of a follow-up matrix
      if (follow && !follow.classList.contains("on")) return;
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
  // Background submission: retried on network errors (the one-time ticket makes a resend
  // safe: the server answers a known ticket with the thank-you page); when the phone is
  // offline the answers stay on the page and in the draft, and go out once it is back.
  var button = form.querySelector("button[type=submit]"), buttonText = button.textContent;
  var offlineNote = document.getElementById("offline-note");
  var sendStatus = document.getElementById("send-status");
  var sending = false, attempts = 0, retryTimer = null;

  function say(text) { sendStatus.textContent = text || ""; sendStatus.hidden = !text; }

  function retryLater() {
    attempts++;
    say(form.getAttribute("data-retrying").replace("{n}", attempts));
    retryTimer = setTimeout(send, Math.min(30000, 1000 * Math.pow(2, Math.min(attempts, 5))));
  }

  function send() {
    clearTimeout(retryTimer);
    if (navigator.onLine === false) { offlineNote.hidden = false; say(""); return; }  // "online" resumes
    offlineNote.hidden = true;
    var controller = window.AbortController ? new AbortController() : null;
    var timeout = controller ? setTimeout(function () { controller.abort(); }, 30000) : null;
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (reply) {
      clearTimeout(timeout);
      if (reply.ok && reply.redirected) { sending = false; window.location.assign(reply.url); return; }
      if (reply.status >= 500 || reply.status === 0) { retryLater(); return; }
      // The server has something to say (a missing answer, a stale page, a closed survey):
      // let it say it with its own page.  Nothing was stored, so posting again is harmless.
      sending = false; HTMLFormElement.prototype.submit.call(form);
    }).catch(function () {
      clearTimeout(timeout);
      if (navigator.onLine === false) { offlineNote.hidden = false; say(""); } else { retryLater(); }
    });
  }

  form.addEventListener("submit", function (ev) {
    if (!window.fetch || !window.FormData) return;  // old browsers: the plain form post
    ev.preventDefault();
    saveNow();
    if (sending) return;
    sending = true; attempts = 0;
    button.disabled = true; button.textContent = form.getAttribute("data-sending");
    send();
  });
  window.addEventListener("online", function () { if (sending) send(); else offlineNote.hidden = true; });
  window.addEventListener("offline", function () { if (sending) { clearTimeout(retryTimer); offlineNote.hidden = false; say(""); } });
  window.addEventListener("pageshow", function (ev) {
    // Restored from the back-forward cache (e.g. after submitting): ask the server, which
    // shows "already submitted" or a fresh form with the draft, never a stale copy.
    if (ev.persisted) { window.location.reload(); return; }
    button.disabled = false; button.textContent = buttonText;
  });

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
