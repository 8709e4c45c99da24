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
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var draft = load();
  var sending = false, timer = null, typing = null, delay = 1000, offline = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function persist() {
    try { localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full: the queue still retries */ }
  }
  function rowOf(target) { return target.slice(0, target.lastIndexOf("-")); }
  function versionInput(target) { return form.querySelector('input[name="v-' + rowOf(target) + '"]'); }
  function pending() { return Object.keys(draft).length; }

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
    if (!names.length) { offline = false; refresh(); return; }
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

  // Submitting the whole checklist waits for the draft to reach the server.
  var submitForm = document.getElementById("submit-form");
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      if (pending()) {
        event.preventDefault();
        show(offline ? "offline" : "saving", offline ? "未保存（离线，将自动重试），请联网后再提交" : "正在保存，请稍候再提交");
        schedule(0);
      }
    });
  }
  // The plain 保存 button still posts the form. The draft stays until the autosave confirms
  // each field: if that post fails offline, nothing is lost; if it succeeds, resending is a no-op.

  // Restore a draft left by a reload or a closed tab, and send it again.
  Object.keys(draft).forEach(function (name) { put(name, draft[name].value); });
  refresh();
  if (pending()) schedule(0);
})();
