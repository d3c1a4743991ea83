/* Offers and events that end between two builds disappear on time.
 *
 * The site is rebuilt daily, but a special valid through the 30th must not be shown on the
 * 1st even if no build ran. The build writes each one's last moment, with the practice's
 * UTC offset, on its element:
 *
 *   <li data-valid-through="2026-11-30T23:59:59-08:00">...</li>   hidden once that second has passed
 *   <p data-show-after="2026-11-30T23:59:59-08:00" hidden>...</p>  shown once it has passed
 *   <section data-expiry-list>...</section>                         hidden when all its items are;
 *     <p data-expiry-empty hidden>No current offers.</p>            ... or shows this message instead
 *
 * The comparison uses the visitor's clock against an absolute time, so the visitor's own
 * time zone does not matter. A local preview of another day (`inv build --as-of 2026-11-15`)
 * marks <html data-clock-day="2026-11-15">: the clock is then moved to that day, keeping the
 * time of day, so the preview shows what visitors will see on it.
 */
(function () {
  "use strict";

  function ended(value, now) {
    var end = Date.parse(value);
    // "through 23:59:59" includes that whole second.
    return !isNaN(end) && now >= end + 1000;
  }

  function hide(el) {
    el.hidden = true;
    el.style.display = "none"; // wins over a stylesheet's display rule
  }

  function show(el) {
    el.hidden = false;
    el.style.display = "";
  }

  function clock() {
    var now = Date.now();
    var day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(document.documentElement.getAttribute("data-clock-day") || "");
    if (!day) {
      return now;
    }
    var today = new Date(now);
    var from = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
    return now + (Date.UTC(+day[1], day[2] - 1, +day[3]) - from);
  }

  function sweep() {
    var now = clock();
    document.querySelectorAll("[data-valid-through]").forEach(function (el) {
      if (ended(el.getAttribute("data-valid-through"), now)) {
        hide(el);
      }
    });
    document.querySelectorAll("[data-show-after]").forEach(function (el) {
      if (ended(el.getAttribute("data-show-after"), now)) {
        show(el);
      }
    });
    document.querySelectorAll("[data-expiry-list]").forEach(function (list) {
      var items = list.querySelectorAll("[data-valid-through]");
      var left = Array.prototype.filter.call(items, function (el) { return !el.hidden; });
      if (items.length && !left.length) {
        var empty = list.querySelector("[data-expiry-empty]");
        if (empty) {
          show(empty);
        } else {
          hide(list);
        }
      }
    });
  }

  sweep();
  // A page left open past midnight catches up within a minute.
  window.setInterval(sweep, 60000);
})();
