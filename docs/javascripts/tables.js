// Atlas tables: sort by clicking a column heading or pressing Enter on it (vendored tablesort),
// and filter rows by typing in the box above each table. Without JavaScript the
// tables are complete and readable; this only adds conveniences.
document$.subscribe(function () {
  document.querySelectorAll(".atlas-table").forEach(function (wrapper) {
    var table = wrapper.querySelector("table");
    if (!table || table.dataset.enhanced) return;
    table.dataset.enhanced = "yes";
    new Tablesort(table);  // also makes each sortable heading focusable and sorts on Enter
    var caption = table.querySelector("caption");
    var label = document.createElement("label");
    label.className = "atlas-filter";
    label.textContent = "Filter rows ";
    var input = document.createElement("input");
    input.type = "search";
    input.setAttribute("aria-label", "Filter rows of the table " + (caption ? caption.textContent : ""));
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      table.querySelectorAll("tbody tr").forEach(function (row) {
        row.hidden = query !== "" && row.textContent.toLowerCase().indexOf(query) === -1;
      });
    });
    label.appendChild(input);
    wrapper.parentNode.insertBefore(label, wrapper);
  });
});
