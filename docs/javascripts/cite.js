// The access date of a citation is the day the reader cites the page, not the day it was built: each
// marked date in the "Cite this page" block is set to today in its format. Without JavaScript the
// build date stays, and the block says so.
document$.subscribe(function () {
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var now = new Date();
  var y = String(now.getFullYear()), m = now.getMonth(), d = now.getDate();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var forms = {
    nlm: y + " " + MONTHS[m] + " " + d,                 // Citing Medicine: [cited 2026 Nov 25]
    iso: y + "-" + pad(m + 1) + "-" + pad(d),           // BibTeX urldate
    ris: y + "/" + pad(m + 1) + "/" + pad(d)            // RIS Y2
  };
  document.querySelectorAll(".atlas-accessed[data-form]").forEach(function (span) {
    var text = forms[span.dataset.form];
    if (text) { span.textContent = text; span.title = "today's date, as you cite the page"; }
  });
});
