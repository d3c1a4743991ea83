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

/* A <meta http-equiv="refresh"> sends the visitor to another address without a click, and no
   Content-Security-Policy directive can stop it (CSP Level 3 dropped navigate-to). The site never
   writes one (the build refuses it); if a page carries one anyway, cancel its pending navigation.
   window.stop() cancels a scheduled refresh ("stop document loading", HTML Standard). */
(function () {
  "use strict";
  if (document.querySelector("meta[http-equiv='refresh' i]")) window.stop();
})();
