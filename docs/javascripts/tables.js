// Make every atlas table sortable by clicking (or pressing Enter on) a column header.
// Uses the vendored tablesort library; mkdocs-material's document$ re-runs this after instant navigation.
document$.subscribe(function () {
  document.querySelectorAll(".atlas-table table").forEach(function (table) {
    if (!table.dataset.sortable) {
      new Tablesort(table);
      table.dataset.sortable = "yes";
    }
  });
});
