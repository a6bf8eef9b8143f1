// Show the Print button only where printing can work (it needs JavaScript).
(function () {
  var button = document.getElementById("print-receipt");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
