/* The inspector's checklist, saved field by field as it is filled in on a phone.
 *
 * Every edit is first written to localStorage (the draft), then sent to the autosave
 * endpoint one field at a time; a field leaves the draft only when the server has it.
 * A failed save (offline, timeout, 5xx) is retried with backoff (1 s, 2 s, 4 s … 30 s) and
 * at once when the browser comes back online. Reloading the page restores the draft over
 * the server's values and sends it again. Without JavaScript the form posts as usual.
 */
(function () {
  "use strict";
  var form = document.getElementById("checklist");
  if (!form || !form.dataset.autosave || !window.fetch) return;
  var url = form.dataset.autosave;
  var key = form.dataset.draftKey;
  var statusEl = document.getElementById("save-status");
  var submitForm = document.getElementById("submit-form");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var draft = load();
  var sending = false, timer = null, typing = null, delay = 1000, offline = false, submitWhenSaved = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function persist() {
    try { localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full: the queue still retries */ }
  }
  function rowOf(target) { return target.slice(0, target.lastIndexOf("-")); }
  function versionInput(target) { return form.querySelector('input[name="v-' + rowOf(target) + '"]'); }
  function pending() { return Object.keys(draft).length + spotQueue().length; }

  function show(state, text) {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  }
  function refresh() {
    if (offline && pending()) show("offline", "未保存（离线，将自动重试）");
    else if (pending()) show("saving", "保存中…");
    else show("saved", "已保存");
  }

  function valueOf(el) {
    if (el.type === "radio") {
      var checked = form.querySelector('input[name="' + el.name + '"]:checked');
      return checked ? checked.value : "";
    }
    return el.value;
  }
  function put(name, value) {
    var fields = form.querySelectorAll('[name="' + name + '"]');
    fields.forEach(function (el) {
      if (el.type === "radio") el.checked = el.value === value;
      else el.value = value;
    });
  }

  function remember(el) {
    var name = el.name;
    if (!/^(finding|spot|inspection)-/.test(name)) return;
    var old = draft[name];
    if (!old && valueOf(el) === saved[name]) return;  // a blur without an edit: nothing to send
    var v = versionInput(name);
    draft[name] = { value: valueOf(el), version: old ? old.version : (v ? parseInt(v.value, 10) : null) };
    persist();
    refresh();
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(flush, ms);
  }

  function flush() {
    if (sending) return;
    var names = Object.keys(draft);
    if (!names.length) {
      if (!spotQueue().length) offline = false;
      refresh();
      if (submitWhenSaved && !pending()) { submitWhenSaved = false; submitForm.submit(); }
      return;
    }
    var name = names[0];
    var entry = draft[name];
    var v = versionInput(name);
    var body = new FormData();
    body.append("target", name);
    body.append("value", entry.value);
    body.append("version", v ? v.value : (entry.version == null ? "" : entry.version));
    sending = true;
    refresh();
    var controller = window.AbortController ? new AbortController() : null;
    var timeout = setTimeout(function () { if (controller) controller.abort(); }, 15000);
    fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) { return [response.status, data]; });
    }).then(function (result) {
      clearTimeout(timeout);
      sending = false;
      var status = result[0], data = result[1];
      if (status >= 500 || status === 0) throw new Error("server " + status);
      if (status === 200 && v) v.value = data.version;
      if (status === 409) {
        if (v) v.value = data.version;
        fieldNote(name, "该项已被他人修改为：“" + (data.value || "（空）") + "”。您填写的内容仍在框中，如需覆盖请再次修改。");
      } else if (status === 400 || status === 403) {
        fieldNote(name, data.message || "未能保存该项。");
      } else if (status !== 200) {
        throw new Error("status " + status);
      }
      // The field leaves the draft unless it was edited again while this save was on its way.
      if (status === 200) saved[name] = entry.value;
      if (draft[name] && draft[name].value === entry.value) delete draft[name];
      persist();
      offline = false;
      delay = 1000;
      schedule(0);
    }).catch(function () {
      clearTimeout(timeout);
      sending = false;
      offline = true;
      refresh();
      schedule(delay);
      delay = Math.min(delay * 2, 30000);
    });
  }

  function fieldNote(name, text) {
    var el = form.querySelector('[name="' + name + '"]');
    if (!el) return;
    var box = el.closest(".field, fieldset") || el.parentNode;
    var note = box.querySelector(".save-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "save-note error";
      box.appendChild(note);
    }
    note.textContent = text;
  }

  form.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.name || el.type === "radio" || el.type === "file") return;
    remember(el);
    clearTimeout(typing);
    typing = setTimeout(function () { if (!sending) schedule(0); }, 600);
  });
  form.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.name || el.type === "file") return;
    remember(el);
    schedule(0);
  });
  window.addEventListener("online", function () { delay = 1000; schedule(0); });
  window.addEventListener("offline", function () { offline = true; refresh(); });

  // A new spot check is queued in localStorage too and posted when the network allows;
  // once the server has it the page reloads to show it with its own autosaved fields.
  var spotForm = document.getElementById("spot-form");
  var spotKey = key + "-spots";
  var spotList = document.getElementById("spot-queue");
  var spotSending = false, spotDelay = 1000;

  function spotQueue() {
    try { return JSON.parse(localStorage.getItem(spotKey) || "[]"); } catch (e) { return []; }
  }
  function spotStore(queue) {
    try { localStorage.setItem(spotKey, JSON.stringify(queue)); } catch (e) { /* keep going */ }
    showSpots(queue);
  }
  function showSpots(queue) {
    if (!spotList) return;
    spotList.hidden = !queue.length;
    spotList.innerHTML = "";
    queue.forEach(function (entry) {
      var li = document.createElement("li");
      li.textContent = "待上传：" + (entry.groupLabel ? entry.groupLabel + " · " : "") + entry.question +
        (entry.passed === "yes" ? "（是）" : entry.passed === "no" ? "（否）" : "");
      spotList.appendChild(li);
    });
  }
  function sendSpots() {
    var queue = spotQueue();
    if (!queue.length || spotSending || !spotForm) return;
    var entry = queue[0];
    var body = new FormData();
    ["group", "question", "passed", "note"].forEach(function (k) { body.append(k, entry[k] || ""); });
    spotSending = true;
    fetch(spotForm.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server " + response.status);
      return response.json().then(function (data) { return [response.status, data]; });
    }).then(function (result) {
      spotSending = false;
      spotDelay = 1000;
      offline = false;
      var rest = spotQueue().slice(1);
      spotStore(rest);
      if (result[0] !== 200) alert(result[1].message || "抽查记录未添加。");
      if (rest.length) sendSpots();
      else if (result[0] === 200) window.location.reload();
    }).catch(function () {
      spotSending = false;
      offline = true;
      refresh();
      setTimeout(sendSpots, spotDelay);
      spotDelay = Math.min(spotDelay * 2, 30000);
    });
  }
  if (spotForm) {
    spotForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(spotForm);
      var select = spotForm.querySelector("select[name=group]");
      var queue = spotQueue();
      queue.push({
        group: data.get("group") || "", question: data.get("question") || "", passed: data.get("passed") || "",
        note: data.get("note") || "", groupLabel: select && select.value ? select.options[select.selectedIndex].text : ""
      });
      spotStore(queue);
      spotForm.reset();  // the next spot check starts blank; this one is in the queue
      refresh();
      sendSpots();
    });
  }
  window.addEventListener("online", function () { spotDelay = 1000; sendSpots(); });

  // Submitting the whole checklist waits for the draft to reach the server.
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      if (pending()) {  // submit once the last field is saved
        event.preventDefault();
        submitWhenSaved = true;
        show(offline ? "offline" : "saving", offline ? "未保存（离线，将自动重试），联网保存后自动提交" : "正在保存，保存后自动提交");
        schedule(0);
      }
    });
  }
  // The plain 保存 button still posts the form. The draft stays until the autosave confirms
  // each field: if that post fails offline, nothing is lost; if it succeeds, resending is a no-op.

  // What the server has, as rendered: an edit back to it still goes out (the draft differs).
  var saved = {};
  form.querySelectorAll("[name]").forEach(function (el) {
    if (/^(finding|spot|inspection)-/.test(el.name)) saved[el.name] = valueOf(el);
  });

  // Restore a draft left by a reload or a closed tab, and send it again.
  Object.keys(draft).forEach(function (name) { put(name, draft[name].value); });
  showSpots(spotQueue());
  refresh();
  if (Object.keys(draft).length) schedule(0);
  sendSpots();
})();
