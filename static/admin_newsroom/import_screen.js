// The import screen: a correction reloads the preview; keep the editor where they were on the page.
(function () {
  "use strict";
  var KEY = "import-screen-scroll:" + window.location.pathname + window.location.search;
  document.addEventListener("DOMContentLoaded", function () {
    var saved = window.sessionStorage.getItem(KEY);
    if (saved !== null) {
      window.sessionStorage.removeItem(KEY);
      window.scrollTo(0, parseInt(saved, 10) || 0);
    }
    document.querySelectorAll("form.import-fix").forEach(function (form) {
      form.addEventListener("submit", function () {
        window.sessionStorage.setItem(KEY, String(window.scrollY));
      });
    });
  });
})();
