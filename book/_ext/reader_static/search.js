// Written into _static/ by book/_ext/reader_pages.py and loaded on the search page only.
// Sphinx builds each result's snippet from the whole main element of the page it found:
// the article header (the download menu: "....pdf") and each formula's visual layer
// (KaTeX's HTML, beside its MathML) would show up as text. They are removed first.
(function () {
  "use strict";
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  var original = Search.htmlToText;
  var NOISE = ".bd-header-article, .rnn-notebook-download, .katex-html, .eqno, .rnnfig, noscript";
  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    Array.prototype.forEach.call(doc.querySelectorAll(NOISE), function (el) { el.remove(); });
    return original(doc.documentElement.outerHTML, anchor);
  };
})();
