/* The page's small behaviours, declared in the markup instead of inline handlers, so the
   Content-Security-Policy can forbid inline script (issue 15):
   - <form data-confirm="…"> or <button data-confirm="…">: ask before submitting (a delete, a
     submission that locks; on a button, only that button asks);
   - <select data-autosubmit>: submit its form when changed (week and period pickers);
   - <button data-print>: print the page;
   - [data-members] boxes and a [data-total] in the same fieldset: the boxes' sum while typing
     (the weekly grid's 合计 per group). */
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = (button && button.getAttribute("data-confirm")) || (event.target.getAttribute && event.target.getAttribute("data-confirm"));
  if (message && !window.confirm(message)) event.preventDefault();
}, true);
document.addEventListener("change", function (event) {
  if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit") && event.target.form) event.target.form.submit();
});
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) window.print();
});
function showTotal(row) {
  var out = row.querySelector("[data-total]"), boxes = row.querySelectorAll("[data-members] input"), sum = 0;
  if (!out) return;
  for (var i = 0; i < boxes.length; i++) sum += parseInt(boxes[i].value, 10) || 0;
  out.textContent = "合计 " + sum + " 人";
}
document.addEventListener("input", function (event) {
  var row = event.target.closest && event.target.closest("fieldset");
  if (row && event.target.closest("[data-members]")) showTotal(row);
});
document.addEventListener("DOMContentLoaded", function () {
  var rows = document.querySelectorAll("fieldset");
  for (var i = 0; i < rows.length; i++) showTotal(rows[i]);
});
