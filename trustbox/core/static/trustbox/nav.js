/* On a phone the school's menu is one line that scrolls sideways: bring the current page's
   link into view. Without this script the menu still works; it only starts at its beginning. */
(function () {
  "use strict";
  var current = document.querySelector(".school-nav a[aria-current]");
  var list = current && current.closest("ul");
  if (!list || list.scrollWidth <= list.clientWidth) { return; }
  list.scrollLeft = current.offsetLeft - (list.clientWidth - current.offsetWidth) / 2;
})();
