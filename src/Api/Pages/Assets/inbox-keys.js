// The inbox's keyboard: j/k move between requests, Enter opens one, t takes it, r resolves it, / searches, ? lists
// the keys; and the compact density, remembered in this browser. Keys typed into a field are left to the field.
"use strict";
(() => {
  const densityKey = "assistance-router.density";
  const densityButton = document.getElementById("density");
  const help = document.getElementById("shortcuts");
  const search = document.getElementById("q");
  let selected = null;

  function setDensity(compact) {
    document.body.classList.toggle("compact", compact);
    densityButton.setAttribute("aria-pressed", String(compact));
    localStorage.setItem(densityKey, compact ? "compact" : "comfortable");
  }
  setDensity(localStorage.getItem(densityKey) === "compact");
  densityButton.addEventListener("click", () => setDensity(!document.body.classList.contains("compact")));
  document.getElementById("help").addEventListener("click", () => help.showModal());

  const rows = () => [...document.querySelectorAll("main.inbox li.item")];

  function select(row) {
    if (selected) { selected.classList.remove("selected"); selected.removeAttribute("aria-current"); }
    selected = row;
    if (!row) return;
    row.classList.add("selected");
    row.setAttribute("aria-current", "true");
    row.tabIndex = -1;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    const at = selected && selected.isConnected ? all.indexOf(selected) : -1;
    select(all[at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step))]);
  }

  function press(name) {
    if (!selected || !selected.isConnected) { move(1); return; }
    const button = [...selected.querySelectorAll("button")].find(b => b.textContent === name);
    if (button) button.click();
  }

  document.addEventListener("keydown", event => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target instanceof Element && event.target.closest("input, textarea, select, [contenteditable]");
    if (typing) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (help.open && event.key !== "?") return; // the dialog closes itself with Esc
    const handlers = {
      j: () => move(1),
      k: () => move(-1),
      t: () => press("Take it"),
      r: () => press("Resolve"),
      Enter: () => { const link = selected && selected.isConnected && selected.querySelector("a.details"); if (link) link.click(); },
      "/": () => { search.focus(); search.select(); },
      "?": () => (help.open ? help.close() : help.showModal()),
    };
    const handler = handlers[event.key];
    if (!handler) return;
    if (event.key === "Enter" && event.target instanceof Element && event.target.closest("button, a, summary")) return; // Enter presses what has the focus
    event.preventDefault();
    handler();
  });
  // A click on a row selects it too, so that keys carry on from where the pointer was.
  document.addEventListener("click", event => {
    const row = event.target instanceof Element && event.target.closest("main.inbox li.item");
    if (row && !event.target.closest("button, a")) select(row);
  });
})();
