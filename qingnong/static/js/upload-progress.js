// Upload progress for forms marked data-upload-progress: rural uploads are slow, so show
// how much has been sent. Without this script the form is a plain multipart POST.
(function () {
  var form = document.querySelector("form[data-upload-progress]");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var box = form.querySelector(".upload-progress");
  var bar = box.querySelector("progress");
  var status = box.querySelector("[role=status]");
  var button = form.querySelector("button[type=submit]");
  var max = parseInt(form.dataset.maxBytes, 10);
  var mb = function (n) { return (n / 1048576).toFixed(1) + " MB"; };

  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    var file = input && input.files[0];
    if (!file) return;  // let the server say the file is missing
    event.preventDefault();
    box.hidden = false;
    if (file.size > max) {  // no point sending it over a slow line
      bar.value = 0;
      status.textContent = "文件太大（" + mb(file.size) + "），最大 10 MB。";
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("X-Upload-Progress", "1");
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.value = Math.round((e.loaded / e.total) * 100);
      status.textContent = "已上传 " + bar.value + "%（" + mb(e.loaded) + " / " + mb(e.total) + "）";
    };
    xhr.upload.onload = function () { bar.removeAttribute("value"); status.textContent = "上传完成，正在检查表格…"; };
    xhr.onload = function () {
      var next = xhr.getResponseHeader("X-Location");  // the preview, said without a redirect
      if (next) {
        window.location.assign(next);
      } else if (xhr.responseURL && xhr.responseURL.split("#")[0] !== window.location.href.split("#")[0]) {
        window.location.assign(xhr.responseURL);  // the preview page (the server redirected)
      } else {  // the form again, with the server's message
        document.open(); document.write(xhr.responseText); document.close();
      }
    };
    xhr.onerror = function () {
      button.disabled = false;
      status.textContent = "网络中断，上传没有完成，请重试。";
    };
    button.disabled = true;
    xhr.send(new FormData(form));
  });
})();
