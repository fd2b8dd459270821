/* Evaluator pages: confirmations and the live scoring preview; every page works without it. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) { if (!window.confirm(form.getAttribute("data-confirm"))) ev.preventDefault(); });
  });
  var form = document.getElementById("scoring-form"), target = document.getElementById("scoring-preview");
  if (!form || !target) return;
  var timer = null;
  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var data = new FormData(form); data.append("fragment", "preview"); data.append("preview", "1");
      fetch(form.getAttribute("data-preview"), { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) { target.innerHTML = html; })
        .catch(function () { /* keep the last preview; the 预览 button still works */ });
    }, 300);
  }
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
})();
