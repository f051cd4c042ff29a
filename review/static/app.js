// Shared behaviour: the CSRF header on htmx requests, the shortcut sheet, queue keys.
(function () {
  "use strict";
  const token = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  document.addEventListener("htmx:configRequest", (event) => {
    event.detail.headers["X-CSRF-Token"] = token();
  });
  window.dgConsole = { token };

  const sheet = () => document.getElementById("shortcuts");
  function toggleSheet() {
    const el = sheet();
    if (el) el.hidden = !el.hidden;
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest('[data-action="shortcuts"]');
    if (button) toggleSheet();
    const row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, button, form")) window.location = row.dataset.href;
  });

  function typing(event) {
    const t = event.target;
    return t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
  }
  window.dgConsole.typing = typing;

  let current = -1;
  function queueRows() { return Array.from(document.querySelectorAll("table[data-queue] tr[data-href]")); }
  function selectRow(n) {
    const rows = queueRows();
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, n));
    rows.forEach((r, i) => r.classList.toggle("selected", i === current));
    rows[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("htmx:afterSwap", () => { current = -1; });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && sheet() && !sheet().hidden) { toggleSheet(); return; }
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "?") { toggleSheet(); event.preventDefault(); return; }
    if (!document.querySelector("table[data-queue]") || document.getElementById("packet")) return;
    if (event.key === "/") { const q = document.getElementById("q"); if (q) { q.focus(); event.preventDefault(); } }
    else if (event.key === "j") selectRow(current + 1);
    else if (event.key === "k") selectRow(current - 1);
    else if (event.key === "Enter" && current >= 0) window.location = queueRows()[current].dataset.href;
  });
})();
