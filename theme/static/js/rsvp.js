/* Places left at an event, from the receiver's public counts (places taken per event, no names).
   Without JavaScript, or if the counts cannot be read, the paragraph stays hidden and the form
   still takes replies; a reply past capacity joins the wait-list, and the practice confirms it. */
(function () {
  "use strict";
  var box = document.querySelector("[data-rsvp-places]");
  if (!box || !window.fetch) return;
  var capacity = parseInt(box.getAttribute("data-capacity"), 10);
  var id = box.getAttribute("data-event");
  if (!(capacity > 0) || !id) return;
  fetch(box.getAttribute("data-counts"), { credentials: "omit", cache: "no-store" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (counts) {
      if (!counts || !counts.events) return;
      var entry = counts.events[id] || { places: 0 };
      var taken = Math.max(0, parseInt(entry.places, 10) || 0);
      var left = capacity - taken;
      if (left > 0) {
        box.textContent = left + " of " + capacity + " places left.";
      } else {
        box.textContent = "Fully booked: a reply now joins the wait-list, and we will tell you if a place opens.";
        box.classList.add("rsvp-full");
      }
      box.hidden = false;
    })
    .catch(function () { /* the form works without the count */ });
})();
