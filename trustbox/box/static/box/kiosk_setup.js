// The member's set-up of the foyer tablet: shows what the tablet keeps (the code of its box key,
// how many sealed appeals wait) and, when the member confirms, keeps the box key on the tablet
// (or forgets it, for a reset) before the form signs the member out.
(function () {
  var setup = document.getElementById("kiosk-setup");
  var store = window.TrustBoxKiosk;
  if (!setup || !store) return;
  var school = setup.dataset.school;
  var form = setup.querySelector("form");
  var pin = store.pinGet(school);
  if (pin) {
    var kept = document.getElementById("setup-kept");
    kept.querySelector("[data-code]").textContent = pin.code;
    kept.hidden = false;
    document.getElementById("setup-changed").hidden = pin.key === setup.dataset.key;
  }
  var waiting = 0;
  if (window.indexedDB) {
    store.count(school).then(function (count) {
      waiting = count;
      form.elements.waiting.value = String(count);
      var shown = document.getElementById("setup-waiting");
      shown.querySelector("[data-count]").textContent = String(count);
      shown.hidden = false;
    });
  }
  form.addEventListener("submit", function (event) {
    var action = event.submitter ? event.submitter.value : "confirm";
    if (action === "reset") {
      store.pinForget(school);
    } else {
      store.pinSet(school, setup.dataset.key, setup.dataset.code);
    }
    form.elements.waiting.value = String(waiting);
  });
})();
