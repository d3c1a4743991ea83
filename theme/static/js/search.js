/* Site search over the Pagefind index the build writes to /pagefind/.
 *
 * Every <form data-search-form> (the header's box and the search page's form) sends the
 * words to the search page in the URL's #fragment, never in a ?query: treatment names must
 * not reach server logs, analytics or Referer headers. The search page asks Pagefind
 * (loaded from this site; no third party) and lists the results.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 20;
  var list = document.querySelector("[data-search-results]");
  var status = document.querySelector("[data-search-status]");
  var engine = null;

  function queryFromHash() {
    var match = /(?:^#|&)q=([^&]*)/.exec(window.location.hash);
    return match ? decodeURIComponent(match[1].replace(/\+/g, " ")).trim() : "";
  }

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function load(bundle) {
    if (!engine) {
      engine = import(bundle).then(function (pagefind) {
        return pagefind.options({ excerptLength: 24 }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  function item(result) {
    var li = document.createElement("li");
    li.className = "search-result";
    var heading = document.createElement("h2");
    heading.className = "search-result-title";
    var link = document.createElement("a");
    link.href = result.url;
    link.textContent = (result.meta && result.meta.title) || result.url;
    heading.appendChild(link);
    li.appendChild(heading);
    if (result.meta && result.meta.kind) {
      var kind = document.createElement("p");
      kind.className = "search-result-kind";
      kind.textContent = result.meta.kind;
      li.appendChild(kind);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "search-result-excerpt";
    // Pagefind's excerpt is escaped text from our own pages with <mark> around the matches.
    excerpt.innerHTML = result.excerpt;
    li.appendChild(excerpt);
    return li;
  }

  function run(query, bundle) {
    list.replaceChildren();
    if (!query) {
      say("");
      return;
    }
    say("Searching…");
    load(bundle).then(function (pagefind) {
      return pagefind.search(query);
    }).then(function (search) {
      var hits = search.results.slice(0, MAX_RESULTS);
      return Promise.all(hits.map(function (hit) { return hit.data(); })).then(function (results) {
        results.forEach(function (result) { list.appendChild(item(result)); });
        var n = search.results.length;
        say(n === 0 ? "No pages match “" + query + "”. Try another word, or call us."
                    : n + (n === 1 ? " page matches" : " pages match") + " “" + query + "”.");
      });
    }).catch(function () {
      say("Search is not available right now. Please use the menu, or call us.");
    });
  }

  document.querySelectorAll("form[data-search-form]").forEach(function (form) {
    var input = form.querySelector("input[type=search]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = input.value.trim();
      var hash = query ? "#q=" + encodeURIComponent(query) : "";
      if (list && form.hasAttribute("data-pagefind")) {
        window.history.replaceState(null, "", window.location.pathname + hash);
        run(query, form.getAttribute("data-pagefind"));
      } else {
        window.location.href = form.getAttribute("action") + hash;
      }
    });
  });

  var page = document.querySelector("form[data-search-form][data-pagefind]");
  if (page && list) {
    var fromHash = function () {
      var query = queryFromHash();
      page.querySelector("input[type=search]").value = query;
      run(query, page.getAttribute("data-pagefind"));
    };
    fromHash();
    // The header box, a link or the back button changing #q= on this page.
    window.addEventListener("hashchange", fromHash);
  }
})();
