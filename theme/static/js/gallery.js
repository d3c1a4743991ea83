/* Before/after gallery: comparison sliders and instant filters. Progressive enhancement only:
   without this file every pair shows side by side, and the gallery's per-treatment and
   per-area pages do the filtering. No library.

   Slider: an ARIA slider (WAI-ARIA APG "slider" pattern) named by the pair's caption. Its value
   is the share of the before photo shown, left of the divider: arrows move it 5 points,
   Shift+arrow or Page Up/Down 25, Home/End to either end; a mouse, pen or finger drags it
   anywhere on the photo (vertical swipes still scroll the page). */
(function () {
  "use strict";
  var STEP = 5;
  var BIG_STEP = 25;

  function slider(figure, index) {
    var frame = figure.querySelector("[data-ba-frame]");
    var caption = figure.querySelector("figcaption");
    if (!frame) return;
    var handle = document.createElement("div");
    handle.className = "ba-handle";
    handle.setAttribute("role", "slider");
    handle.setAttribute("tabindex", "0");
    handle.setAttribute("aria-orientation", "horizontal");
    handle.setAttribute("aria-valuemin", "0");
    handle.setAttribute("aria-valuemax", "100");
    if (caption && caption.id) {
      handle.setAttribute("aria-labelledby", caption.id);
    } else {
      handle.setAttribute("aria-label", "Before and after comparison " + (index + 1));
    }
    var knob = document.createElement("span");
    knob.className = "ba-knob";
    knob.setAttribute("aria-hidden", "true");
    handle.appendChild(knob);
    frame.appendChild(handle);
    Array.prototype.forEach.call(frame.querySelectorAll("img"), function (img) {
      img.draggable = false;
    });
    figure.classList.add("is-enhanced");

    var value = 50;
    function set(next) {
      value = Math.max(0, Math.min(100, Math.round(next)));
      frame.style.setProperty("--ba-pos", value + "%");
      handle.setAttribute("aria-valuenow", String(value));
      handle.setAttribute("aria-valuetext", value + "% before, " + (100 - value) + "% after");
    }
    set(50);

    handle.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? BIG_STEP : STEP;
      var next;
      switch (event.key) {
        case "ArrowLeft": case "ArrowDown": next = value - step; break;
        case "ArrowRight": case "ArrowUp": next = value + step; break;
        case "PageDown": next = value - BIG_STEP; break;
        case "PageUp": next = value + BIG_STEP; break;
        case "Home": next = 0; break;
        case "End": next = 100; break;
        default: return;
      }
      event.preventDefault();
      set(next);
    });

    var dragging = null;
    function follow(event) {
      var box = frame.getBoundingClientRect();
      if (box.width > 0) set(((event.clientX - box.left) / box.width) * 100);
    }
    frame.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      dragging = event.pointerId;
      frame.setPointerCapture(event.pointerId);
      follow(event);
      handle.focus({ preventScroll: true });
      event.preventDefault();
    });
    frame.addEventListener("pointermove", function (event) {
      if (event.pointerId === dragging) follow(event);
    });
    function stop(event) {
      if (event.pointerId !== dragging) return;
      dragging = null;
      if (frame.hasPointerCapture(event.pointerId)) frame.releasePointerCapture(event.pointerId);
    }
    frame.addEventListener("pointerup", stop);
    frame.addEventListener("pointercancel", stop);
  }

  function filters(form) {
    var list = document.querySelector("[data-gallery-list]");
    if (!list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-case]"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var count = document.querySelector("[data-gallery-count]");
    var empty = document.querySelector("[data-gallery-empty]");
    var total = items.length;

    function apply(remember) {
      var shown = 0;
      items.forEach(function (item) {
        var match = selects.every(function (select) {
          if (!select.value) return true;
          var values = (item.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
          return values.indexOf(select.value) !== -1;
        });
        item.hidden = !match;
        if (match) shown += 1;
      });
      if (count) {
        count.textContent = shown === total
          ? "Showing all " + total + " case" + (total === 1 ? "" : "s")
          : "Showing " + shown + " of " + total + " cases";
      }
      if (empty) empty.hidden = shown !== 0;
      if (remember && window.history && history.replaceState) {
        var params = new URLSearchParams();
        selects.forEach(function (select) {
          if (select.value) params.set(select.name, select.value);
        });
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
      }
    }

    var wanted = new URLSearchParams(location.search);
    selects.forEach(function (select) {
      var value = wanted.get(select.name);
      var known = Array.prototype.some.call(select.options, function (option) { return option.value === value; });
      if (value && known) select.value = value;
    });
    form.hidden = false;
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { window.setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply(false);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-ba]"), slider);
  Array.prototype.forEach.call(document.querySelectorAll("[data-ba-hint]"), function (hint) {
    hint.hidden = false;
  });
  var form = document.querySelector("[data-gallery-filters]");
  if (form) filters(form);
})();
