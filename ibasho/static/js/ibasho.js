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

/* A destructive action asks first. A form with data-confirm="question" opens a dialog with
   the question and a large confirm button; confirming submits the form with confirmed=yes.
   Without JavaScript the form posts as it is and the server answers with a confirmation page. */
(function () {
  "use strict";
  var dialog = null;
  var pending = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.id = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-question");
    var question = document.createElement("p");
    question.id = "confirm-dialog-question";
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "danger";
    yes.dataset.confirmYes = "";
    var no = document.createElement("button");
    no.type = "button";
    no.dataset.confirmNo = "";
    dialog.appendChild(question);
    dialog.appendChild(yes);
    dialog.appendChild(document.createTextNode(" "));
    dialog.appendChild(no);
    yes.addEventListener("click", function () {
      var form = pending;
      dialog.close();
      if (!form) return;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirmed";
      input.value = "yes";
      form.appendChild(input);
      form.submit();
    });
    no.addEventListener("click", function () {
      pending = null;
      dialog.close();
    });
    document.body.appendChild(dialog);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.confirm || form.querySelector("[name=confirmed]")) return;
    if (!window.HTMLDialogElement) return; // the server's confirmation page takes over
    event.preventDefault();
    if (!dialog) build();
    pending = form;
    dialog.querySelector("#confirm-dialog-question").textContent = form.dataset.confirm;
    dialog.querySelector("[data-confirm-yes]").textContent = form.dataset.confirmButton || "OK";
    dialog.querySelector("[data-confirm-no]").textContent = form.dataset.confirmCancel || "Cancel";
    dialog.showModal();
  });
})();
