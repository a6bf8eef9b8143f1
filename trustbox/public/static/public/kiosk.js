// Foyer kiosk: forget the last writer. After a minute without a touch the page is replaced
// (not added to the history) by a blank form; the form and the receipt keep nothing.
(function () {
  var meta = document.querySelector('meta[name="kiosk-idle"]');
  var refresh = document.querySelector('meta[http-equiv="refresh"]');
  var seconds = meta ? parseInt(meta.content, 10) : 60;
  var blank = location.pathname;
  var done = document.getElementById("kiosk-done");
  if (done) blank = done.getAttribute("href");
  if (refresh) {
    // The receipt page: take it out of the history so Back cannot bring it back.
    history.replaceState(null, "", blank);
  }
  var timer;
  function clear() {
    var form = document.querySelector("form[data-kiosk]");
    if (form) form.reset();
    location.replace(blank);
  }
  function wait() {
    clearTimeout(timer);
    timer = setTimeout(clear, seconds * 1000);
  }
  ["input", "keydown", "pointerdown", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, wait, { passive: true });
  });
  if (done) done.addEventListener("click", function (event) { event.preventDefault(); clear(); });
  wait();
})();
