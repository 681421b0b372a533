// Atlas tables (templates/table.html.j2). Without JavaScript every table is complete and readable;
// this adds conveniences:
// - sorting: click a column heading, or press Enter on it (vendored tablesort);
// - filters: a table with facets has a form of one <select> per facet (surgery, outcome, ...). A row
//   is shown when, for every facet chosen, its data-facet-<key> attribute (space-separated values)
//   holds the chosen value exactly; facets combine with AND. The choice lives in the query string
//   (?surgery=yes&outcome=improvement) so a filtered view can be linked: it applies to every table
//   of the page with that facet. Values the page does not offer are ignored; the #row hash is kept;
//   the live status line tells screen readers how many rows show;
// - fitting: a table too wide for its box is shown as stacked records (see atlas.css);
// - all rows: a table cut into parts (iscm_atlas/render/parts.py) shows its first part on its page, with
//   data-all-rows naming a JSON file of every row; the first filter or sort loads it, puts every row in the
//   table and hides the pager, so filtering and sorting take in all rows.
(function () {
  "use strict";

  var refits = []; // one per table: measure again (on resize, or when a closed <details> opens)

  function enhance() {
    var facetTables = [];
    refits = refits.filter(function (r) { return r.wrapper.isConnected; }); // pages left by instant loading
    document.querySelectorAll(".atlas-table").forEach(function (wrapper) {
      var table = wrapper.querySelector("table");
      if (!table || table.dataset.enhanced) return;
      table.dataset.enhanced = "yes";
      table.atlasSort = new Tablesort(table); // also makes each sortable heading focusable and sorts on Enter
      if (wrapper.hasAttribute("data-all-rows")) loadOnFirstSort(wrapper, table);
      fitToBox(wrapper, table);
      var form = wrapper.querySelector("form.atlas-facets");
      if (form) facetTables.push(facetTable(table, form));
    });
    if (facetTables.length) linkFacets(facetTables);
  }

  // A table wider than its box (too many columns for the screen) is shown as stacked records.
  function fitToBox(wrapper, table) {
    if (!(window.CSS && CSS.supports("container-type: inline-size"))) return; // keep the scroll box
    wrapper.classList.add("atlas-table--js");
    function fit() {
      if (wrapper.closest("details:not([open])") || !wrapper.getClientRects().length) return; // measured when shown
      wrapper.classList.remove("atlas-table--stacked");
      if (table.offsetWidth > wrapper.clientWidth + 1) wrapper.classList.add("atlas-table--stacked");
    }
    fit();
    refits.push({wrapper: wrapper, fit: fit});
    if (!window.ResizeObserver) return;
    var width = null;
    new ResizeObserver(function (entries) { // the box around the table, whose width fit() leaves alone
      var now = entries[entries.length - 1].contentRect.width;
      if (now !== width) { width = now; requestAnimationFrame(fit); } // not within the observer's turn: fit() resizes things
    }).observe(wrapper.parentElement);
  }

  document.addEventListener("toggle", function (event) { // "toggle" does not bubble: listen while it is captured
    refits.forEach(function (r) { if (event.target.contains && event.target.contains(r.wrapper)) r.fit(); });
  }, true);

  // Every row of a cut table, once: resolves when the table holds them all (at once for a whole table).
  function allRows(wrapper, table) {
    if (!wrapper.hasAttribute("data-all-rows")) return Promise.resolve();
    if (!wrapper.atlasAllRows) {
      wrapper.atlasAllRows = fetch(wrapper.getAttribute("data-all-rows"))
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
        .then(function (data) {
          table.tBodies[0].innerHTML = data.rows.join("");
          wrapper.removeAttribute("data-all-rows");
          var pager = wrapper.querySelector(".atlas-pager");
          if (pager) pager.hidden = true;
          if (table.atlasSort) table.atlasSort.refresh();
        });
    }
    return wrapper.atlasAllRows;
  }

  // A sort asked for before all rows are there waits for them, then happens.
  function loadOnFirstSort(wrapper, table) {
    ["click", "keydown"].forEach(function (type) {
      table.tHead.addEventListener(type, function (event) {
        var heading = event.target.closest("th");
        if (!heading || !wrapper.hasAttribute("data-all-rows") || heading.getAttribute("data-sort-method") === "none") return;
        if (type === "keydown" && event.key !== "Enter") return;
        event.stopImmediatePropagation();
        event.preventDefault();
        allRows(wrapper, table).then(function () { heading.click(); });
      }, true);
    });
  }

  function facetTable(table, form) {
    var wrapper = form.closest(".atlas-table");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var status = form.querySelector(".atlas-facets__status");
    return {
      form: form, selects: selects,
      ready: function () { return allRows(wrapper, table); },
      show: function (state, labels) {
        var rows = Array.prototype.slice.call(table.tBodies[0] ? table.tBodies[0].rows : []);
        selects.forEach(function (select) {
          var value = state.get(select.name) || "";
          if (value && !hasOption(select, value)) { // chosen in another table; none of these rows has it
            var option = document.createElement("option");
            option.value = value;
            option.textContent = labels.get(select.name).get(value) + " (0)";
            select.appendChild(option);
          }
          if (select.value !== value) select.value = value;
          if (select.parentNode.classList.contains("atlas-facet--active") !== (value !== "")) {
            select.parentNode.classList.toggle("atlas-facet--active", value !== "");
          }
        });
        var chosen = selects.filter(function (select) { return select.value !== ""; });
        var shown = 0;
        rows.forEach(function (row) {
          var match = chosen.every(function (select) {
            var values = (row.getAttribute("data-facet-" + select.name) || "").split(/\s+/);
            return values.indexOf(select.value) !== -1;
          });
          if (row.hidden === match) row.hidden = !match; // untouched rows cost no style recalculation
          if (match) shown += 1;
        });
        var total = wrapper.hasAttribute("data-all-rows") ? wrapper.getAttribute("data-total-rows") : rows.length;
        var text = "Showing " + shown + " of " + total + " rows";
        if (status.textContent !== text) status.textContent = text;
      }
    };
  }

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (option) { return option.value === value; });
  }

  // One filter state for the page, read from and written to the query string.
  function linkFacets(tables) {
    var labels = new Map(); // facet key -> (value -> label), every value some table offers
    tables.forEach(function (t) {
      t.selects.forEach(function (select) {
        if (!labels.has(select.name)) labels.set(select.name, new Map());
        Array.prototype.forEach.call(select.options, function (option) {
          if (option.value) labels.get(select.name).set(option.value, option.textContent.replace(/ \(\d+\)$/, ""));
        });
      });
    });
    var state = new Map();
    var params = new URLSearchParams(window.location.search);
    labels.forEach(function (values, key) {
      var value = params.get(key);
      if (value !== null && values.has(value)) state.set(key, value); // anything else is ignored
    });

    function apply() {
      if (state.size) { // a filter takes in every row of a cut table: load them first
        Promise.all(tables.map(function (t) { return t.ready(); })).then(function () {
          tables.forEach(function (t) { t.show(state, labels); });
        });
      } else {
        tables.forEach(function (t) { t.show(state, labels); });
      }
    }

    function writeUrl() {
      var query = new URLSearchParams(window.location.search);
      labels.forEach(function (values, key) {
        if (state.has(key)) query.set(key, state.get(key)); else query.delete(key);
      });
      var search = query.toString();
      history.replaceState(history.state, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    tables.forEach(function (t) {
      t.form.addEventListener("submit", function (event) { event.preventDefault(); });
      t.selects.forEach(function (select) {
        select.addEventListener("change", function () {
          if (select.value) state.set(select.name, select.value); else state.delete(select.name);
          apply();
          writeUrl();
        });
      });
      t.form.querySelector(".atlas-facets__clear").addEventListener("click", function () {
        t.selects.forEach(function (select) { state.delete(select.name); });
        apply();
        writeUrl();
      });
      t.form.hidden = false;
    });
    apply();
  }

  document$.subscribe(enhance);
})();
