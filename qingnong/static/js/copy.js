// 复制 buttons: copy the text of the element named by data-copy into the clipboard, so a
// secretary can paste the reminder into the 青农 WeChat group. WeChat's built-in browser
// may refuse navigator.clipboard: then the text is selected for a long-press copy.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) return;
  var done = function () { button.textContent = "已复制"; setTimeout(function () { button.textContent = "复制"; }, 2000); };
  var fallback = function () {
    source.focus();
    source.select();
    try { if (document.execCommand("copy")) { done(); return; } } catch (e) { /* selected: copy by hand */ }
    button.textContent = "已选中，请长按复制";
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(source.value).then(done, fallback);
  } else {
    fallback();
  }
});
