// The foyer tablet (docs/security-kiosk.md): it refuses a page with another box key than the
// one a member confirmed; without the network it seals here, shows the receipt at once, keeps
// only the sealed envelope and sends it when the network returns. Nothing typed is kept.
(function () {
  var meta = document.querySelector('meta[name="trustbox-box-key"]');
  var store = window.TrustBoxKiosk;
  if (!meta || !store || !window.indexedDB) return;
  var school = meta.dataset.school;
  var served = meta.content;
  var form = document.querySelector("form[data-kiosk]");
  var page = form ? form.getAttribute("action") : location.pathname;
  var pin = store.pinGet(school);

  function byId(id) { return document.getElementById(id); }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(page + "worker.js", { scope: page }).catch(function () {});
  }

  function showWaiting(count) {
    var waiting = byId("kiosk-waiting");
    if (!waiting) return;
    waiting.querySelector("[data-count]").textContent = String(count);
    waiting.hidden = count === 0;
  }

  function refresh() { return store.count(school).then(showWaiting); }

  // the key the tablet keeps
  var refused = false;
  if (!pin) {
    byId("kiosk-not-set-up").hidden = false;
  } else if (pin.key !== served) {
    refused = true;
    if (form) form.hidden = true;
    byId("kiosk-refused").hidden = false;
    byId("kiosk-refused").focus();
  }

  // without the network: seal here, give the receipt, keep the envelope
  function receipt(code) {
    var shown = byId("kiosk-offline-receipt");
    byId("kiosk-receipt-code").textContent = code;
    form.reset();
    form.hidden = true;
    shown.hidden = false;
    shown.focus();
    var seconds = parseInt(meta.dataset.receiptSeconds, 10) || 300;
    document.dispatchEvent(new CustomEvent("trustbox:receipt", { detail: { seconds: seconds } }));
  }

  // Offline: the browser says so, or a sending on this page could not reach the box (the
  // school's network up, its internet down). The child presses again: it is sealed here.
  var failed = byId("send-failed");
  function offline() {
    return navigator.onLine === false || (failed && !failed.hidden);
  }

  // What the tablet keeps of a sealed form: its fields without the CSRF and one-time tokens
  // (a fresh pair is asked for when it is sent). The receipt code is not among them.
  function kept(body) {
    var fields = [];
    body.forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "token") fields.push([name, value]);
    });
    return fields;
  }

  var sealing = false;
  function sealHere(event) {
    var seal = window.TrustBoxSeal;
    if (refused || !pin || !form || !seal || !offline()) return;
    if (form.getAttribute("data-seal-key") !== pin.key) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (sealing) return;
    sealing = true;
    var missing = byId("kiosk-missing");
    missing.hidden = true;
    seal.sealForm(form).then(function (sealed) {
      if (sealed && sealed.missing) {
        missing.querySelector("p").textContent = sealed.missing;
        missing.hidden = false;
        missing.focus();
        return;
      }
      // No X25519 here, or a PDF (only the server can rebuild it): the form cannot be sealed on
      // the tablet; it says it could not reach the box, and keeps the text.
      if (!sealed) throw new Error("unsealed");
      return queue(sealed, "");
    }).catch(showFailed).then(function () { sealing = false; });
  }
  function showFailed() {
    failed.hidden = false;
    failed.focus();
  }
  // The envelope waits on the tablet, the receipt code is shown at once. An envelope whose
  // sending failed keeps the token it went with: if it did reach the box, sent again it is
  // "already in the box", and the code shown is the one that finds it.
  function queue(sealed, token) {
    var record = { school: school, fields: kept(sealed.body), token: token };
    return store.add(record).then(function () {
      receipt(sealed.receiptCode);
      return refresh();
    });
  }
  if (form) form.addEventListener("submit", sealHere, true);
  // keep_text.js sent a sealed form and got no answer of Trust Box's: keep that very envelope.
  document.addEventListener("trustbox:unsent", function (event) {
    if (refused || !pin || !form || form.getAttribute("data-seal-key") !== pin.key) return;
    event.preventDefault();
    queue(event.detail, event.detail.body.get("token") || "").catch(showFailed);
  });
  var done = byId("kiosk-offline-done");
  if (done) {
    done.addEventListener("click", function (event) {
      event.preventDefault();
      byId("kiosk-receipt-code").textContent = "";
      location.replace(done.getAttribute("href"));
    });
  }

  // the network is back: send what waits, each with its own one-time form token
  function fresh() {
    // A fresh blank form from the server (never the kept copy): its CSRF and one-time tokens.
    return fetch(page + "?send=1", { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var csrf = doc.querySelector("input[name=csrfmiddlewaretoken]");
        var token = doc.querySelector("input[name=token]");
        if (!csrf || !token) throw new Error("form");
        return { csrf: csrf.value, token: token.value };
      });
  }

  function send(record) {
    return fresh().then(function (tokens) {
      // The token is kept with the envelope before it is sent: a resend after a lost answer
      // spends the same token, and the server stores nothing twice.
      var first = record.token ? Promise.resolve() : store.put(
        Object.assign(record, { token: tokens.token }));
      return first.then(function () {
        var body = new FormData();
        record.fields.forEach(function (field) { body.append(field[0], field[1]); });
        body.append("token", record.token);
        body.append("csrfmiddlewaretoken", tokens.csrf);
        return fetch(page, { method: "POST", body: body, credentials: "same-origin" });
      });
    }).then(function (response) {
      return response.text().then(function (html) {
        // Only Trust Box's own answer counts: the receipt, or "already in the box" (an earlier
        // sending whose answer was lost). A proxy's page or an error keeps the envelope.
        if (response.status === 200 && html.indexOf('name="trustbox-public"') !== -1) {
          return store.remove(record.id);
        }
        // An answer that is not "in the box" spent no token: the next round asks a fresh one
        // (a token lasts a day). Were it spent after all, the lookup hash still stops a double.
        record.token = "";
        return store.put(record).then(function () { throw new Error(String(response.status)); });
      });
    });
  }

  var draining = false;
  function drain() {
    if (draining || navigator.onLine === false) return Promise.resolve();
    draining = true;
    return store.all(school).then(function (list) {
      return list.reduce(function (chain, record) {
        return chain.then(function () { return send(record); }).then(refresh);
      }, Promise.resolve());
    }).catch(function () {}).then(function () {
      draining = false;
      return refresh();
    });
  }

  window.addEventListener("online", drain);
  refresh().then(drain);
  setInterval(drain, 30000);
})();
