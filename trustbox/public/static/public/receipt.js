// The receipt page, improved: a Print button (printing needs JavaScript), and a gentle reminder
// in the page's own language instead of the browser's bubble when the writer wants to leave
// before ticking "I have kept my code". Without JavaScript the browser itself asks for the tick.
(function () {
  var print = document.getElementById("print-receipt");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
  var kept = document.getElementById("kept");
  var reminder = document.getElementById("kept-reminder");
  if (!kept || !reminder) return;
  kept.addEventListener("invalid", function (event) {
    event.preventDefault();
    reminder.hidden = false;
    kept.focus();
  });
  kept.addEventListener("change", function () {
    if (kept.checked) reminder.hidden = true;
  });
})();
