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
// A code made in the browser (seal.js) never reached the server, so the picture to save is
// drawn here, from the page's own lines, the code put in its place.
(function () {
  var link = document.getElementById("receipt-picture");
  var code = document.getElementById("receipt-code");
  var list = document.getElementById("receipt-lines");
  if (!link || !code || !list || !code.textContent.trim()) return;
  var lines = Array.prototype.map.call(list.children, function (li) { return li.textContent; });
  lines[3] = code.textContent.trim();
  var canvas = document.createElement("canvas");
  canvas.width = 720;
  canvas.height = 120 + 56 * lines.length;
  var g = canvas.getContext("2d");
  g.fillStyle = "#fff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  lines.forEach(function (line, i) {
    g.fillStyle = i === 3 || i === 0 ? "#0b4f8a" : "#111";
    g.font = (i === 3 ? "bold 44px " : i === 0 ? "bold 34px " : "24px ") + "sans-serif";
    g.fillText(line, 40, 70 + 56 * i + (i > 3 ? 24 : 0), canvas.width - 80);
  });
  link.href = canvas.toDataURL("image/png");
  link.hidden = false;
})();
