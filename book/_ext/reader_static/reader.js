// Written into _static/ by book/_ext/reader_pages.py and loaded on every page.
(function () {
  "use strict";
  // pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 bind their sidebar buttons with
  // document.querySelector(".primary-toggle") (and ".secondary-toggle"), which finds a
  // hidden copy in the top header, so the buttons a reader sees do nothing
  // (pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme#988). A click on
  // any other copy is handed to the one the theme listens to.
  function forward(selector) {
    var bound = document.querySelector(selector);
    if (!bound) return;
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (button) {
      if (button === bound) return;
      button.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    });
  }
  function ready() {
    forward(".primary-toggle");
    forward(".secondary-toggle");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
