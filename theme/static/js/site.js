/* Progressive enhancement only: the menu is a <details> that works without this file.
   Escape closes the open menu and returns focus to its toggle; a click outside closes it. */
(function () {
  "use strict";
  var menu = document.querySelector("[data-menu]");
  if (!menu) return;
  var toggle = menu.querySelector("summary");
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      toggle.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
})();
