// The packet page: page viewer (thumbnails, zoom, rotate, a field's box), field
// corrections and decisions through the JSON API with the packet's version.
// Everything read off a page is put in the document as text, never as markup.
(function () {
  "use strict";
  const root = document.getElementById("packet");
  if (!root) return;
  const id = root.dataset.id;
  let version = parseInt(root.dataset.version, 10);
  const canEdit = root.dataset.canEdit === "1";
  const images = Array.from(document.querySelectorAll(".page-img"));
  const box = document.getElementById("box");
  const canvas = document.getElementById("canvas");
  const stage = document.getElementById("stage");
  const fields = Array.from(document.querySelectorAll("tr.field"));
  let page = images.length ? parseInt(images[0].dataset.page, 10) : null;
  let zoom = 1, rotation = 0, selected = -1, editing = null;

  function flash(text, kind) {
    const el = document.getElementById("flash");
    el.textContent = text;
    el.className = "flash " + (kind || "");
    el.hidden = false;
  }

  function layout() {
    canvas.style.width = (100 * zoom) + "%";
    canvas.style.transform = rotation ? "rotate(" + rotation + "deg)" : "";
    document.getElementById("zoom-label").textContent = Math.round(zoom * 100) + "%";
  }

  function showPage(n) {
    if (n === null || isNaN(n)) return;
    let found = false;
    images.forEach((img) => {
      const on = parseInt(img.dataset.page, 10) === n;
      img.hidden = !on;
      if (on && !img.getAttribute("src")) img.src = img.dataset.src;  // full pages load when first shown
      if (on) { found = true; document.getElementById("page-label").textContent = img.dataset.label; }
    });
    if (!found) return;
    page = n;
    document.querySelectorAll(".thumb").forEach((t) => t.classList.toggle("on", parseInt(t.dataset.page, 10) === n));
    box.hidden = true;
  }

  function showBox(n, rect) {
    showPage(n);
    if (!rect) { box.hidden = true; return; }
    box.style.left = rect[0] + "%";
    box.style.top = rect[1] + "%";
    box.style.width = rect[2] + "%";
    box.style.height = rect[3] + "%";
    box.hidden = false;
    // bring the box to the middle of the viewer only: the page itself does not move
    const view = stage.getBoundingClientRect(), mark = box.getBoundingClientRect();
    stage.scrollBy({
      top: mark.top - view.top - (view.height - mark.height) / 2,
      left: mark.left - view.left - (view.width - mark.width) / 2,
      behavior: "smooth",
    });
  }

  function parseBox(text) {
    if (!text) return null;
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function selectField(n, focus) {
    if (!fields.length) return;
    selected = Math.max(0, Math.min(fields.length - 1, n));
    const row = fields[selected];
    fields.forEach((f) => f.classList.toggle("selected", f === row));
    const details = row.closest("details");
    if (details) details.open = true;
    showBox(parseInt(row.dataset.page, 10), parseBox(row.dataset.box));
    if (focus !== false) row.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", (event) => {
    const thumb = event.target.closest(".thumb");
    if (thumb) { showPage(parseInt(thumb.dataset.page, 10)); return; }
    const tool = event.target.closest("[data-tool]");
    if (tool) { useTool(tool.dataset.tool); return; }
    const evidence = event.target.closest(".evidence");
    if (evidence) {
      const target = evidence.dataset.field && document.getElementById(evidence.dataset.field);
      if (target) selectField(fields.indexOf(target));
      else showBox(parseInt(evidence.dataset.page, 10), parseBox(evidence.dataset.box));
      return;
    }
    if (event.target.closest("[data-claim]")) { choose("in_review"); return; }
    const edit = event.target.closest("button.edit");
    if (edit) { startEdit(edit.closest("tr.field")); return; }
    const row = event.target.closest("tr.field");
    if (row && !event.target.closest("input, textarea, button")) selectField(fields.indexOf(row), false);
  });

  function useTool(name) {
    if (name === "zoom-in") zoom = Math.min(4, zoom * 1.25);
    if (name === "zoom-out") zoom = Math.max(0.25, zoom / 1.25);
    if (name === "fit") { zoom = 1; rotation = 0; }
    if (name === "rotate") rotation = (rotation + 90) % 360;
    layout();
  }

  // -- corrections -------------------------------------------------------------------
  function startEdit(row) {
    if (!canEdit || !row || editing) return;
    editing = row;
    const cell = row.querySelector("td");
    const form = document.createElement("form");
    form.className = "edit-form";
    if (row.dataset.table === "1") {
      const table = cell.querySelector("table.rows");
      const columns = table.dataset.columns.split(",");
      table.querySelectorAll("tr").forEach((tr, i) => {
        if (i === 0) return;
        tr.querySelectorAll("td").forEach((td) => {
          const input = document.createElement("input");
          input.value = td.textContent;
          input.dataset.col = td.dataset.col;
          td.textContent = "";
          td.appendChild(input);
        });
      });
      const add = document.createElement("button");
      add.type = "button"; add.textContent = "加一行"; add.className = "small";
      add.addEventListener("click", () => {
        const tr = document.createElement("tr");
        columns.forEach((c) => {
          const td = document.createElement("td"); td.dataset.col = c;
          const input = document.createElement("input"); input.dataset.col = c;
          td.appendChild(input); tr.appendChild(td);
        });
        table.appendChild(tr);
      });
      form.appendChild(add);
    } else {
      const value = cell.querySelector(".value");
      const input = document.createElement("input");
      input.name = "value";
      input.value = value.textContent;
      input.className = "wide";
      value.hidden = true;
      form.appendChild(input);
    }
    const reason = document.createElement("input");
    reason.name = "reason"; reason.placeholder = "修改原因（可选）"; reason.className = "reason";
    const save = document.createElement("button");
    save.type = "submit"; save.textContent = "保存 (Ctrl+S)"; save.className = "primary small";
    const cancel = document.createElement("button");
    cancel.type = "button"; cancel.textContent = "取消"; cancel.className = "small";
    cancel.addEventListener("click", () => window.location.reload());
    form.append(reason, save, cancel);
    form.addEventListener("submit", (event) => { event.preventDefault(); saveEdit(); });
    cell.appendChild(form);
    const first = cell.querySelector("input");
    if (first) { first.focus(); first.select(); }
  }

  function editedValue(row) {
    if (row.dataset.table === "1") {
      const rows = [];
      row.querySelectorAll("table.rows tr").forEach((tr, i) => {
        if (i === 0) return;
        const item = {};
        tr.querySelectorAll("input[data-col]").forEach((input) => { item[input.dataset.col] = input.value.trim() || null; });
        if (Object.values(item).some((v) => v !== null)) rows.push(item);
      });
      return rows;
    }
    const value = row.querySelector('input[name="value"]').value.trim();
    return value === "" ? null : value;
  }

  async function send(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": window.dgConsole.token() },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return { status: response.status, data };
  }

  function explainConflict(data) {
    const changes = (data.changes || []).map((e) => e.summary || e.action).join("；");
    return "保存失败：他人已修改此材料包（当前版本 " + data.version + "）" + (changes ? "：" + changes : "") + "。请刷新后重试。";
  }

  async function saveEdit() {
    if (!editing) return;
    const row = editing;
    const reason = row.querySelector('input[name="reason"]').value.trim();
    const body = {
      version,
      corrections: [{ document: parseInt(row.dataset.doc, 10), field: row.dataset.field, value: editedValue(row), reason: reason || null }],
    };
    const { status, data } = await send("/api/packets/" + id + "/fields", body);
    if (status === 200) {
      sessionStorage.setItem("dg-flash", "已保存并重新判定：" + ((data.result || {}).findings || []).length + " 项审核发现");
      sessionStorage.setItem("dg-field", row.id);
      window.location.reload();
    } else if (status === 409) {
      flash(explainConflict(data), "error");
    } else {
      flash("保存失败：" + (data.error || status), "error");
    }
  }

  // -- decisions ----------------------------------------------------------------------
  const decision = document.getElementById("decision");
  function syncDecision() {
    if (!decision) return;
    const chosen = decision.querySelector('input[name="to"]:checked');
    decision.querySelector(".materials").hidden = !chosen || chosen.dataset.needs !== "materials";
  }
  if (decision) {
    decision.addEventListener("change", syncDecision);
    syncDecision();
    decision.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = decision.querySelector('input[name="to"]:checked');
      if (!chosen) return;
      const materials = Array.from(decision.querySelectorAll('input[name="materials"]:checked')).map((i) => i.value);
      const body = { version, to: chosen.value, reason: decision.querySelector("textarea").value, materials };
      const { status, data } = await send("/api/packets/" + id + "/transition", body);
      if (status === 200) {
        sessionStorage.setItem("dg-flash", "已提交：" + chosen.parentElement.textContent.trim());
        window.location.reload();
      } else if (status === 409 && data.changes) {
        flash(explainConflict(data), "error");
      } else {
        flash("未能提交：" + (data.error || status), "error");
      }
    });
  }
  function choose(target) {
    if (!decision) return false;
    const input = decision.querySelector('input[name="to"][value="' + target + '"]');
    if (!input) return false;
    input.checked = true;
    syncDecision();
    document.getElementById("decide").open = true;
    if (target === "in_review" && input.dataset.needs === "") decision.requestSubmit();
    else decision.querySelector("textarea").focus();
    return true;
  }

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      if (editing) saveEdit();
      return;
    }
    if (event.key === "Escape" && editing) { window.location.reload(); return; }
    if (window.dgConsole.typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    const keys = {
      j: () => selectField(selected + 1),
      k: () => selectField(selected - 1),
      e: () => startEdit(fields[selected]),
      n: () => { if (root.dataset.next) window.location = root.dataset.next; },
      p: () => { if (root.dataset.prev) window.location = root.dataset.prev; },
      c: () => choose("in_review"),
      a: () => choose("proposed_approve") || choose("approved"),
      r: () => choose("proposed_reject") || choose("rejected"),
      b: () => choose("needs_correction"),
      m: () => choose("to_meeting"),
      "+": () => useTool("zoom-in"),
      "=": () => useTool("zoom-in"),
      "-": () => useTool("zoom-out"),
      "0": () => useTool("fit"),
      R: () => useTool("rotate"),
      "[": () => showPage(page - 1),
      "]": () => showPage(page + 1),
    };
    const action = keys[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  layout();
  showPage(page);
  const message = sessionStorage.getItem("dg-flash");
  if (message) { flash(message, "ok"); sessionStorage.removeItem("dg-flash"); }
  const again = sessionStorage.getItem("dg-field");
  if (again) {
    sessionStorage.removeItem("dg-field");
    const row = document.getElementById(again);
    if (row) selectField(fields.indexOf(row));
  }
})();
