// Progressive enhancement only: the page reads fully without JavaScript.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var state = { status: null, area: null, text: "" };
  var rules = Array.prototype.slice.call(document.querySelectorAll("article.rule"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".area-group"));
  var shown = document.getElementById("rules-shown");
  var search = document.getElementById("rule-search");
  var statusButtons = Array.prototype.slice.call(document.querySelectorAll("[data-filter-status-button]"));

  function apply() {
    var visible = 0;
    rules.forEach(function (rule) {
      var ok = (!state.status || rule.dataset.status === state.status) &&
               (!state.area || rule.dataset.area === state.area) &&
               (!state.text || rule.dataset.search.indexOf(state.text) !== -1);
      rule.classList.toggle("hidden", !ok);
      if (ok) { visible += 1; }
    });
    groups.forEach(function (group) {
      group.classList.toggle("hidden", !group.querySelector("article.rule:not(.hidden)"));
    });
    statusButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", String((button.dataset.filterStatusButton || null) === state.status));
    });
    if (shown) {
      var what = [state.area, state.status && state.status.replace("_", " "), state.text && "\u201c" + state.text + "\u201d"]
        .filter(Boolean).join(", ");
      shown.textContent = "Showing " + visible + " of " + rules.length + " rules" + (what ? " (" + what + ")" : "");
    }
  }

  statusButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      state.status = button.dataset.filterStatusButton || null;
      state.area = null;
      apply();
    });
  });
  if (search) {
    search.addEventListener("input", function () { state.text = search.value.trim().toLowerCase(); apply(); });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".matrix button[data-area]"), function (button) {
    button.addEventListener("click", function () {
      state.area = button.dataset.area;
      state.status = button.dataset.status || null;
      apply();
      document.getElementById("rules").scrollIntoView({ behavior: "smooth" });
    });
  });
  var expand = document.getElementById("expand-docs");
  if (expand) {
    expand.addEventListener("click", function () {
      var details = document.querySelectorAll("article.rule details");
      var open = expand.getAttribute("aria-pressed") !== "true";
      Array.prototype.forEach.call(details, function (d) { d.open = open; });
      expand.setAttribute("aria-pressed", String(open));
      expand.textContent = open ? "Collapse documentation" : "Expand documentation";
    });
  }

  function copy(text, button) {
    function done() { var old = button.textContent; button.textContent = "Copied"; setTimeout(function () { button.textContent = old; }, 1200); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
      return;
    }
    var area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); done(); } finally { document.body.removeChild(area); }
  }
  Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      if (source) { copy(source.textContent, button); }
    });
  });

  // Shareable views: #status=failed&area=tags filters the rules; #rule-<id> opens that rule's documentation.
  var hash = decodeURIComponent(location.hash.slice(1));
  if (/^(status|area|q)=/.test(hash)) {
    hash.split("&").forEach(function (pair) {
      var parts = pair.split("=");
      if (parts[0] === "status") { state.status = parts[1] || null; }
      if (parts[0] === "area") { state.area = parts[1] || null; }
      if (parts[0] === "q") { state.text = (parts[1] || "").toLowerCase(); if (search) { search.value = parts[1] || ""; } }
    });
  } else if (hash) {
    var target = document.getElementById(hash);
    var details = target && target.querySelector("details");
    if (details) { details.open = true; }
  }
  apply();
  root.dataset.ready = "true";
})();
