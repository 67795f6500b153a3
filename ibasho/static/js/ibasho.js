/* Small behaviours that the content security policy keeps out of the pages themselves. */
(function () {
  "use strict";

  // A select that submits its form when changed (the organisation switcher).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-submit-on-change]") && target.form) {
      target.form.submit();
    }
  });

  // A button that prints the page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });

  // The idle timeout: a warning a minute before the server ends the session, then the
  // sign-in page. The server decides; this only tells the person in time.
  function idleTimer() {
    var body = document.body;
    var seconds = parseInt(body.dataset.idleSeconds || "0", 10);
    if (!seconds) return;
    var dialog = document.getElementById("idle-warning");
    var warnBefore = Math.min(60, Math.floor(seconds / 3));
    var warnTimer = null;
    var endTimer = null;

    function csrfToken() {
      try {
        return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
      } catch (error) {
        return "";
      }
    }

    function start() {
      clearTimeout(warnTimer);
      clearTimeout(endTimer);
      if (dialog && dialog.open) dialog.close();
      warnTimer = setTimeout(function () {
        if (dialog && dialog.showModal) dialog.showModal();
      }, (seconds - warnBefore) * 1000);
      endTimer = setTimeout(function () {
        var next = encodeURIComponent(window.location.pathname);
        window.location.assign(body.dataset.signedOut + "&next=" + next);
      }, seconds * 1000 + 1000);
    }

    function keepAlive() {
      fetch(body.dataset.keepAlive, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      }).then(function (response) {
        if (response.ok) start();
        else window.location.assign(body.dataset.signedOut);
      });
    }

    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("[data-keep-alive-button]")) keepAlive();
    });
    // Every request the page makes counts as activity on the server, so the timer restarts.
    document.body.addEventListener("htmx:afterRequest", start);
    start();
  }

  // Phone tables: the header row is hidden on a narrow screen, so every cell carries its
  // column's name (data-label, shown by the style sheet before the value). A template may set
  // its own data-label; the others get the header's text here, also in content htmx swaps in.
  function labelTables(root) {
    var english = (document.documentElement.lang || "").indexOf("en") === 0;
    var tables = root.querySelectorAll ? root.querySelectorAll("table.responsive") : [];
    if (root.matches && root.matches("table.responsive")) tables = [root];
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1].cells : [];
      var names = [];
      Array.prototype.forEach.call(heads, function (cell) {
        var name = (cell.getAttribute("aria-label") || cell.textContent || "").replace(/\s+/g, " ").trim();
        for (var i = 0; i < (cell.colSpan || 1); i++) names.push(name);
      });
      if (!names.length) return;
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && names[column]) {
              cell.setAttribute("data-label", names[column]);
            }
            var label = cell.getAttribute("data-label");
            if (english && label) cell.setAttribute("data-label", label.charAt(0).toUpperCase() + label.slice(1));
            column += cell.colSpan || 1;
          });
        });
      });
    });
  }

  function ready() {
    labelTables(document);
    idleTimer();
  }
  document.addEventListener("htmx:load", function (event) {
    labelTables(event.target.closest ? event.target.closest("table") || event.target : event.target);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
