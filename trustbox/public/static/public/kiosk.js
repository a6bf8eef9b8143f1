// Foyer kiosk: forget the last writer. After a while without a touch the page is replaced (not
// added to the history) by a blank form; a visible countdown says how long is left, and any
// touch starts it again. The receipt stays until the writer says the code is written down.
// Every text shown is in the page; this script only counts.
(function () {
  var meta = document.querySelector('meta[name="kiosk-idle"]');
  var seconds = meta ? parseInt(meta.content, 10) : 60;
  var done = document.getElementById("kiosk-done");
  var blank = done ? done.getAttribute("href") : location.pathname;
  var countdown = document.getElementById("kiosk-countdown");
  var left = countdown ? countdown.querySelector("[data-seconds]") : null;
  var warn = countdown && countdown.dataset.warn ? parseInt(countdown.dataset.warn, 10) : seconds;
  if (done) {
    // The receipt page: its history entry must not bring the code back.
    history.replaceState(null, "", blank);
  }
  var deadline = 0;
  var cleared = false;
  function clear() {
    if (cleared) return;
    cleared = true;
    var form = document.querySelector("form[data-kiosk]");
    if (form) form.reset();
    location.replace(blank);
  }
  function tick() {
    var remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    if (remaining === 0) return clear();
    if (countdown) {
      left.textContent = String(remaining);
      countdown.hidden = remaining > warn;
    }
  }
  function wait() {
    deadline = Date.now() + seconds * 1000;
    tick();
  }
  ["input", "keydown", "pointerdown", "touchstart", "scroll", "wheel"].forEach(function (name) {
    document.addEventListener(name, wait, { passive: true, capture: true });
  });
  if (done) done.addEventListener("click", function (event) { event.preventDefault(); clear(); });
  wait();
  var timer = setInterval(tick, 250);
  // kiosk_offline.js shows a receipt made on the tablet: it stays as long as a receipt does.
  document.addEventListener("trustbox:receipt", function (event) {
    seconds = event.detail.seconds;
    warn = seconds;
    wait();
  });
  // keep_text.js puts the server's answer in place of this page: its own script counts then.
  document.addEventListener("trustbox:replaced", function () {
    cleared = true;
    clearInterval(timer);
  });
})();
