// Link and sign-in pages: times in the reader's own time zone, and the name typed once remembered in this browser
// (the inbox reads the same). Nothing here submits anything: only a person pressing the button does.
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
  const by = document.getElementById("by");
  if (by) {
    by.value = localStorage.getItem(nameKey) || "";
    by.form.addEventListener("submit", () => localStorage.setItem(nameKey, by.value.trim()));
  }
})();
