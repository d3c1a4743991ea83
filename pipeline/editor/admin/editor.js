/* The content editor's set-up, around Decap CMS (https://decapcms.org/docs/).
 *
 * - Decap is started by hand (CMS_MANUAL_INIT) so that, on this computer (`inv edit`), it uses the
 *   local backend on the editor's own origin: no account, nothing leaves the machine.
 * - The preview pane uses the site's own stylesheets and the theme's page structure (its class
 *   names), so an entry looks there as it will on the site.
 * - Before each save, `inv edit` checks the entry as `inv check` would and the editor shows each
 *   problem next to its field; a problem stops the save (a draft's problems are listed only).
 *
 * Loaded before decap-cms.js; nothing runs inline (the page's Content-Security-Policy).
 */
(function () {
  "use strict";

  window.CMS_MANUAL_INIT = true;
  var script = document.currentScript;
  var styles = (script.getAttribute("data-preview-styles") || "").split(" ").filter(Boolean);
  var checkUrl = script.getAttribute("data-check") || "";
  var local = location.hostname === "localhost" || location.hostname === "127.0.0.1";

  // --- the preview pane: the theme's page structure --------------------------------------------

  var HIDDEN = ["title", "name", "summary", "status", "body", "redirect_from", "modified", "social", "order"];

  function text(value) {
    if (value === null || value === undefined) return "";
    if (value.toJS) value = value.toJS();
    if (Array.isArray(value)) return value.map(text).filter(Boolean).join(", ");
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === "object") return "";
    return String(value);
  }

  function picture(h, props, image, className) {
    if (!image || !image.get || !image.get("src")) return null;
    var asset = props.getAsset(image.get("src"), props.fieldsMetaData && props.field);
    return h(
      "figure",
      { className: className },
      h("img", { src: asset ? asset.toString() : image.get("src"), alt: image.get("alt") || "" })
    );
  }

  function facts(h, props, data) {
    var fields = props.collection.get("fields") || [];
    var rows = [];
    fields.forEach(function (field) {
      var name = field.get("name");
      var widget = field.get("widget");
      if (HIDDEN.indexOf(name) >= 0 || widget === "object" || widget === "image") return;
      var value = text(data.get(name));
      if (!value) return;
      rows.push(h("div", { key: name }, h("dt", null, field.get("label") || name), h("dd", null, value)));
    });
    if (!rows.length) return null;
    return h(
      "aside",
      { className: "detail-aside" },
      h("div", { className: "facts-card" }, h("h2", { className: "facts-title" }, "At a glance"), h("dl", { className: "facts" }, rows))
    );
  }

  function pagePreview(kind) {
    return function (props) {
      var h = window.h;
      var data = props.entry.get("data");
      var title = data.get("title") || data.get("name") || "";
      var lede = data.get("summary") || data.get("role") || "";
      var image = data.get("cover") || data.get("image") || data.get("photo");
      var status = data.get("status") === "draft" ? h("p", { className: "status-flag" }, "Preview: draft, not on the public site") : null;
      var body = props.widgetFor("body");
      if (kind === "post" || kind === "page") {
        return h(
          "main",
          { id: "main" },
          h(
            "article",
            { className: kind === "post" ? "post" : "page" },
            h("header", { className: kind === "post" ? "post-header" : "page-header" }, h("div", { className: "wrap narrow" }, status, h("h1", { id: "page-title" }, title), lede ? h("p", { className: "lede" }, lede) : null)),
            picture(h, props, image, "post-cover wrap"),
            h("div", { className: "wrap narrow" }, h("div", { className: "prose post-body" }, body))
          )
        );
      }
      return h(
        "main",
        { id: "main" },
        h(
          "article",
          { className: kind },
          h(
            "header",
            { className: "page-hero" + (image ? " page-hero-media" : "") },
            h(
              "div",
              { className: "wrap page-hero-grid" },
              h("div", { className: "page-hero-copy" }, status, h("h1", { id: "page-title" }, title), lede ? h("p", { className: "lede" }, lede) : null),
              image ? picture(h, props, image, "page-hero-figure") : null
            )
          ),
          h("div", { className: "wrap detail-layout" }, facts(h, props, data), h("div", { className: "detail-main" }, h("div", { className: "prose" }, body)))
        )
      );
    };
  }

  function casePreview(props) {
    var h = window.h;
    var data = props.entry.get("data");
    var pairs = data.get("pairs") || [];
    var shown = [];
    pairs.forEach(function (pair, index) {
      if (!pair || !pair.get) return;
      shown.push(
        h(
          "div",
          { key: index, className: "case-pair" },
          pair.get("view") ? h("h3", null, pair.get("view")) : null,
          h("div", { className: "case-pair-photos" }, picture(h, props, pair.get("before"), "case-photo"), picture(h, props, pair.get("after"), "case-photo"))
        )
      );
    });
    return h(
      "main",
      { id: "main" },
      h(
        "article",
        { className: "case" },
        h("header", { className: "page-header" }, h("div", { className: "wrap" }, h("h1", { id: "page-title" }, data.get("title") || text(data.get("procedure"))), h("p", { className: "lede" }, data.get("description") || ""))),
        h("div", { className: "wrap detail-layout" }, facts(h, props, data), h("div", { className: "detail-main" }, h("section", { className: "detail-section case-photos" }, shown)))
      )
    );
  }

  // --- the check before saving (inv edit only) --------------------------------------------------

  function base64(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        resolve(String(reader.result).split(",", 2)[1] || "");
      };
      reader.onerror = reject;
      reader.readAsDataURL(file);
    });
  }

  function clearProblems() {
    document.querySelectorAll(".site-check-problems, .site-check-summary").forEach(function (node) {
      node.remove();
    });
  }

  // Decap labels each control <label for="<field name>-field-<n>">; the problem goes under it.
  function labelFor(field) {
    var parts = field.split(".").filter(function (part) {
      return !/^\d+$/.test(part);
    });
    for (var i = parts.length; i > 0; i--) {
      var label = document.querySelector('label[for^="' + parts[i - 1] + '-field-"]');
      if (label) return label;
    }
    return null;
  }

  function showProblems(problems, blocking) {
    clearProblems();
    var loose = [];
    problems.forEach(function (problem) {
      var label = labelFor(problem.field);
      if (!label) {
        loose.push(problem);
        return;
      }
      var list = label.parentNode.querySelector(".site-check-problems");
      if (!list) {
        list = document.createElement("ul");
        list.className = "site-check-problems";
        list.setAttribute("role", "alert");
        label.insertAdjacentElement("afterend", list);
      }
      var item = document.createElement("li");
      item.textContent = problem.field + ": " + problem.message + " — " + problem.fix;
      list.appendChild(item);
    });
    var box = document.createElement("section");
    box.className = "site-check-summary";
    box.setAttribute("role", "alert");
    var heading = document.createElement("h2");
    heading.textContent = blocking
      ? problems.length + " problem(s): not saved. inv check says:"
      : "Saved as a draft; " + problems.length + " problem(s) keep it off the site:";
    box.appendChild(heading);
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem.text;
      list.appendChild(item);
    });
    box.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function () {
      box.remove();
    });
    box.appendChild(close);
    document.body.appendChild(box);
  }

  function check(event) {
    var entry = event.entry;
    var media = (entry.get("mediaFiles") || []).toJS ? entry.get("mediaFiles").toJS() : [];
    return Promise.all(
      media
        .filter(function (item) {
          return item.file && item.path;
        })
        .map(function (item) {
          return base64(item.file).then(function (content) {
            return { path: item.path, content: content };
          });
        })
    )
      .then(function (files) {
        return fetch(checkUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            collection: entry.get("collection"),
            slug: entry.get("slug") || "",
            path: entry.get("path") || "",
            data: entry.get("data").toJS(),
            media: files,
          }),
        });
      })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (!answer.problems || !answer.problems.length) {
          clearProblems();
          return undefined;
        }
        showProblems(answer.problems, answer.blocking);
        if (answer.blocking) {
          throw new Error(answer.problems.length + " problem(s), listed next to the fields: " + answer.problems[0].text);
        }
        return undefined;
      });
  }

  // --- before saving: leave out what was left empty ------------------------------------------

  function isEmpty(value) {
    if (value === null || value === undefined || value === "") return true;
    if (Array.isArray(value)) return value.length === 0;
    if (typeof value === "object" && !(value instanceof Date)) return Object.keys(value).length === 0;
    return false;
  }

  // The paths of the fields left empty, deepest first: an optional group (an event's venue) the
  // coordinator did not fill is saved as absent, as it would be written by hand, not as a group of
  // empty fields that `inv check` would ask to complete.
  function emptyPaths(value, path, out) {
    if (Array.isArray(value)) {
      value.forEach(function (item, i) {
        emptyPaths(item, path.concat([i]), out);
      });
      return value.length === 0;
    }
    if (value && typeof value === "object" && !(value instanceof Date)) {
      var keys = Object.keys(value);
      var empty = keys.filter(function (key) {
        var inner = emptyPaths(value[key], path.concat([key]), out);
        if (inner) out.push(path.concat([key]));
        return inner;
      });
      return empty.length === keys.length;
    }
    return isEmpty(value);
  }

  function withoutEmptyFields(event) {
    var data = event.entry.get("data");
    var paths = [];
    emptyPaths(data.toJS(), [], paths); // inner paths come before the groups that hold them
    paths
      .filter(function (path) {
        return typeof path[path.length - 1] !== "number"; // an empty item of a list stays, for the check to name
      })
      .forEach(function (path) {
        data = data.deleteIn(path);
      });
    return data;
  }

  function setup() {
    var CMS = window.CMS;
    styles.forEach(function (href) {
      CMS.registerPreviewStyle(href);
    });
    ["post", "page", "procedure", "team", "location", "special", "event"].forEach(function (kind) {
      CMS.registerPreviewTemplate(kind, pagePreview(kind === "team" ? "member" : kind));
    });
    CMS.registerPreviewTemplate("case", casePreview);
    CMS.registerEventListener({ name: "preSave", handler: withoutEmptyFields });
    if (local && checkUrl) {
      CMS.registerEventListener({ name: "preSave", handler: check });
    }
    CMS.init(local ? { config: { local_backend: { url: location.origin + "/api/v1" } } } : {});
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
