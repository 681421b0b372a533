// The search index is downloaded when a reader first opens search, not on every page view. At a hundred times
// today's data it is megabytes of JSON that the theme's search worker would fetch, parse and index on every
// page load, on a phone too, for readers who never search. mkdocs-material 9.x has no setting for this: it
// requests search/search_index.json (XMLHttpRequest) as its bundle starts. Loaded in <head>, before the
// bundle, this holds that one request back until the search field first takes focus (a click or tap on it,
// the "/" or "s" shortcut) or the address asks for a search (?q=); every other request passes untouched.
(function () {
  var INDEX = /(^|\/)search\/search_index\.json([?#]|$)/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var opened = /[?&]q=/.test(location.search);
  var held = [];

  function release() {
    if (opened) return;
    opened = true;
    held.splice(0).forEach(function (go) { go(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.atlasSearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (!this.atlasSearchIndex || opened) return send.apply(this, arguments);
    var request = this, args = arguments;
    held.push(function () { send.apply(request, args); });
  };
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-md-component=search-query]")) release();
  }, true);
})();
