// The writer keeps her text when the server is away. Without this script the form is sent
// as any form; with it the form is sent in the background and the page is replaced only by
// the server's own answer (the receipt, or the form with what to correct). When the network
// or the server fails, the page stays as it is, with every word typed, and a message in the
// page's language says to try again. Nothing is written to the device: the text lives in
// this page only, and goes with it. Sealed here first where seal.js can: then only the receipt
// replaces the page (the code made here put in); a refusal shows above the kept form.
(function () {
  var form = document.querySelector("form[data-keeps-text]");
  var failed = document.getElementById("send-failed");
  if (!form || !failed || !window.fetch || !window.FormData) return;
  var button = form.querySelector("button[type=submit]");
  var refused = document.createElement("div");
  refused.className = "errors";
  refused.setAttribute("role", "alert");
  refused.tabIndex = -1;
  refused.hidden = true;
  failed.parentNode.insertBefore(refused, failed);
  var sending = false;
  function keep() {
    sending = false;
    if (button) button.disabled = false;
    failed.hidden = false;
    failed.focus();
  }
  function refuse(lines) {
    sending = false;
    if (button) button.disabled = false;
    refused.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      refused.appendChild(p);
    });
    refused.hidden = false;
    refused.focus();
  }
  function replace(html) {
    document.dispatchEvent(new Event("trustbox:replaced"));
    document.open();
    document.write(html);
    document.close();
  }
  // A sealed envelope that may or may not have reached the box: the foyer tablet takes it as
  // it is, with its token, into its queue (kiosk_offline.js), so that it goes in once and the
  // code shown stays the child's. Elsewhere (false) the page keeps the text.
  function queued(sealed) {
    if (!sealed || document.dispatchEvent(
      new CustomEvent("trustbox:unsent", { cancelable: true, detail: sealed }))) return false;
    sending = false;
    if (button) button.disabled = false;
    return true;
  }
  function send(body, sealed) {
    return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) {
          // Only a page of Trust Box replaces this one; a proxy's error page does not.
          if (html.indexOf('name="trustbox-public"') === -1) return queued(sealed) || keep();
          if (!sealed) return replace(html);
          if (response.status >= 500 && queued(sealed)) return;
          if (html.indexOf('id="receipt-code"') !== -1) {
            return replace(window.TrustBoxSeal.fillReceipt(html, sealed.receiptCode));
          }
          var page = new DOMParser().parseFromString(html, "text/html");
          if (page.querySelector(".sent[role=status]")) return replace(html);
          var lines = [];
          page.querySelectorAll(".errors[role=alert] p,.errorlist>li").forEach(function (el) {
            if (!el.closest("#send-failed")) lines.push(el.textContent);
          });
          refuse(lines);
        });
      });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) return;
    sending = true;
    failed.hidden = true;
    refused.hidden = true;
    if (button) button.disabled = true;
    var seal = window.TrustBoxSeal ? window.TrustBoxSeal.sealForm(form) : Promise.resolve(null);
    seal.then(function (sealed) {
      if (sealed && sealed.missing) return refuse([sealed.missing]);
      return send(sealed ? sealed.body : new FormData(form), sealed).catch(function () {
        return queued(sealed) || keep();
      });
    }, function () {
      // Sealing failed on this device (a photo it cannot read): nothing was sent.
      refuse([form.getAttribute("data-seal-failed")]);
    });
  });
})();
