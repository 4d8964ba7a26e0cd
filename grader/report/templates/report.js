// Verdict filter and submission search. The page is complete without this script.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var rows = document.querySelectorAll(".matrix tbody tr");
  var details = document.querySelectorAll("#details details");
  function apply() {
    var wanted = {};
    form.querySelectorAll("input[name=verdict]").forEach(function (box) {
      wanted[box.value] = box.checked;
    });
    var needle = search.value.trim().toLowerCase();
    var count = 0;
    function filter(element) {
      var keep = wanted[element.dataset.verdict] && element.dataset.id.indexOf(needle) !== -1;
      element.hidden = !keep;
      return keep;
    }
    rows.forEach(function (row) { if (filter(row)) { count += 1; } });
    details.forEach(filter);
    shown.textContent = count + " of " + rows.length + " submissions shown";
  }
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
