// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so screen reader and keyboard users hear it first.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }

    // Confirmation fields refuse paste (seed 000 §3.3): the value must be typed a second time.
    document.querySelectorAll("[data-no-paste]").forEach(function (input) {
      input.addEventListener("paste", function (event) {
        event.preventDefault();
        var note = document.getElementById(input.id + "-paste");
        if (!note) {
          note = document.createElement("p");
          note.id = input.id + "-paste";
          note.className = "paste-refused";
          note.setAttribute("role", "status");
          note.textContent = document.documentElement.lang === "en"
            ? "Pasting is not allowed here: please type it again."
            : "Le copier-coller n'est pas permis ici : veuillez saisir de nouveau.";
          input.insertAdjacentElement("afterend", note);
        }
      });
    });

    // Idle time-out warning (WCAG 2.2.1): two minutes before the session ends, offer to stay.
    var dialog = document.getElementById("session-timeout");
    if (dialog && typeof dialog.showModal === "function") {
      var total = parseInt(dialog.dataset.sessionSeconds, 10) * 1000;
      var warning = parseInt(dialog.dataset.warningSeconds, 10) * 1000;
      var warnTimer, endTimer;
      var start = function () {
        clearTimeout(warnTimer);
        clearTimeout(endTimer);
        warnTimer = setTimeout(function () {
          dialog.showModal();
          dialog.querySelector("button").focus();
        }, Math.max(total - warning, 0));
        endTimer = setTimeout(function () {
          // Signing out is a POST; the expired page itself only shows.
          dialog.querySelector("[data-expire]").submit();
        }, total);
      };
      var form = dialog.querySelector("[data-keepalive]");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { "Accept": "application/json" },
          credentials: "same-origin"
        }).then(function (response) {
          if (response.ok) { dialog.close(); start(); }
          else { window.location.assign(dialog.dataset.expiredUrl); }
        });
      });
      // Escape closes a dialog: here it means « Rester connecté » (the person is there), not
      // a silent close that lets the session end two minutes later with what was typed.
      dialog.addEventListener("cancel", function (event) {
        event.preventDefault();
        if (typeof form.requestSubmit === "function") { form.requestSubmit(); }
        else { form.dispatchEvent(new Event("submit", { cancelable: true })); }
      });
      start();
    }

    // Time left (the waiting room's opening, a submission window): counted down each second;
    // the number the server wrote stays for those without JavaScript. With
    // data-countdown-reload the page is asked again at zero.
    document.querySelectorAll("[data-countdown]").forEach(function (element) {
      var end = Date.now() + Number(element.getAttribute("data-countdown")) * 1000;
      var tick = function () {
        var left = Math.max(0, Math.round((end - Date.now()) / 1000));
        var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
        element.textContent = (h ? h + " h " : "") + (h || m ? m + " min " : "") + s + " s";
        if (left > 0) { setTimeout(tick, 1000); }
        else if (element.hasAttribute("data-countdown-reload")) { window.location.reload(); }
      };
      tick();
    });

    // IMPRIMER buttons: hidden without JavaScript (the browser's own Print still works).
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
