// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so screen reader and keyboard users hear it first.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }

    // IMPRIMER buttons: hidden without JavaScript (the browser's own Print still works).
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
