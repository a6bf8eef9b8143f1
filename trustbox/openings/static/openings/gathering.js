/* The gathering's count of members still needed, kept up to date without a reload.
   The page works without this script: its <noscript> link reloads it by hand.
   When the gathering moves on (enough members, the box opened, cancelled) the page reloads
   itself to show the next step, unless someone has started typing in a form on it: then it
   says so and offers the link. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) { return; }
  var url = script.getAttribute("data-progress");
  var status = script.getAttribute("data-status");
  var needed = Number(script.getAttribute("data-needed"));
  var typing = false;
  document.addEventListener("input", function () { typing = true; });

  function item(text, className) {
    var li = document.createElement("li");
    li.textContent = text;
    if (className) { li.className = className; }
    return li;
  }

  function showPresent(state) {
    var list = document.getElementById("present");
    if (!list || (!state.present.length && !state.reserve_text)) { return; }
    var items = state.present.map(function (name) { return item(name); });
    if (state.reserve_text) { items.push(item(state.reserve_text, "reserve")); }
    list.replaceChildren.apply(list, items);
  }

  function check() {
    if (document.hidden) { return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        var line = document.getElementById("still-needed");
        if (line && line.textContent !== state.needed_text) { line.textContent = state.needed_text; }
        showPresent(state);
        var movedOn = state.status !== status || (needed > 0 && state.still_needed === 0);
        needed = state.still_needed;
        if (!movedOn) { return; }
        if (!typing) { window.location.reload(); return; }
        var notice = document.getElementById("moved-on");
        if (notice) { notice.hidden = false; }
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }
  window.setInterval(check, 3000);
})();
