// Follow a background job: poll its progress every two seconds, reload the page when it ends.
// Without this script the page offers a refresh link instead.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || !box.dataset.url) return;
  var status = box.dataset.status;
  if (status === "done" || status === "failed") return;
  var bar = box.querySelector("progress");
  var percent = box.querySelector(".percent");
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.finished) { window.location.reload(); return; }
        if (bar) bar.value = job.percent;
        if (percent) percent.textContent = job.percent + "%";
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
})();
