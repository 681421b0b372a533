// A link to a row inside a folded <details> (a finding in "every figure of this page") opens it and
// scrolls to the row; browsers that do not open details for a fragment get the same from here.
document$.subscribe(function () {
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) el.open = true;
    }
    target.scrollIntoView();
  }
  reveal();
  window.addEventListener("hashchange", reveal);
});
