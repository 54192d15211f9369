// Link, request and sign-in pages: times in the reader's own time zone, and the name typed once remembered in this
// browser (the inbox reads the same). A request's page says when the request changed meanwhile. Nothing here
// submits anything: only a person pressing a button does.
"use strict";
(() => {
  const nameKey = "assistance-router.name";
  for (const time of document.querySelectorAll("time[datetime]")) {
    const at = new Date(time.getAttribute("datetime"));
    if (!isNaN(at)) {
      time.title = time.textContent;
      time.textContent = at.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    }
  }
  for (const by of document.querySelectorAll("input[name=by]")) {
    by.value = by.value || localStorage.getItem(nameKey) || "";
    by.form.addEventListener("submit", () => localStorage.setItem(nameKey, by.value.trim()));
  }
  const detail = document.querySelector("main[data-request]");
  if (detail && "EventSource" in window) {
    const changed = document.getElementById("changed");
    const events = new EventSource("/inbox/events", { withCredentials: true });
    const mine = event => {
      try { if (JSON.parse(event.data).id === detail.dataset.request) changed.hidden = false; } catch { /* not a change */ }
    };
    for (const type of ["acknowledged", "unacknowledged", "resolved", "escalated", "failed", "retried", "attempted"])
      events.addEventListener(type, mine);
  }
})();
