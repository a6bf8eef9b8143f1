// The writer keeps her text when the server is away. Without this script the form is sent
// as any form; with it the form is sent in the background and the page is replaced only by
// the server's own answer (the receipt, or the form with what to correct). When the network
// or the server fails, the page stays as it is, with every word typed, and a message in the
// page's language says to try again. Nothing is written to the device: the text lives in
// this page only, and goes with it.
(function () {
  var form = document.querySelector("form[data-keeps-text]");
  var failed = document.getElementById("send-failed");
  if (!form || !failed || !window.fetch || !window.FormData) return;
  var button = form.querySelector("button[type=submit]");
  var sending = false;
  function keep() {
    sending = false;
    if (button) button.disabled = false;
    failed.hidden = false;
    failed.focus();
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) return;
    sending = true;
    failed.hidden = true;
    if (button) button.disabled = true;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) {
          // Only a page of Trust Box replaces this one; a proxy's error page does not.
          if (html.indexOf('name="trustbox-public"') === -1) return keep();
          document.dispatchEvent(new Event("trustbox:replaced"));
          document.open();
          document.write(html);
          document.close();
        });
      })
      .catch(keep);
  });
})();
