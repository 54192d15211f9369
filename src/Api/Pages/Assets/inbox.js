// The inbox: reads /inbox/requests, listens to /inbox/events and reads again when something changed (at once, and at
// most once a second, hidden tab or not), keeps each row in place while it updates (so a button never moves under a
// pointer), and posts Take it / Give back / Resolve / Retry with the page's anti-forgery token. Text from requests
// only ever goes in through textContent, never as HTML.
"use strict";
(() => {
  const nameKey = "assistance-router.name";
  const minGap = 1000; // between two reads, however many events arrive
  const main = document.querySelector("main.inbox");
  const token = main.dataset.token;
  const nameInput = document.getElementById("name");
  const topicSelect = document.getElementById("topic");
  const searchInput = document.getElementById("q");
  const searching = document.getElementById("searching");
  const live = document.getElementById("live");
  const toast = document.getElementById("toast");
  const sections = {
    open: document.getElementById("open"),
    acknowledged: document.getElementById("acknowledged"),
    resolved: document.getElementById("resolved"),
  };
  const rows = { open: new Map(), acknowledged: new Map(), resolved: new Map() };
  const seen = new Set(); // open requests already announced (or there at the first read)
  const announcedLate = new Set();
  let late = { default: { amber: 300, red: 900 }, topics: {} };
  let loadedOnce = false;
  let inFlight = null;
  let again = false;
  let lastRead = 0;
  let pending = null;
  let events = null;

  nameInput.value = localStorage.getItem(nameKey) || "";
  nameInput.addEventListener("input", () => localStorage.setItem(nameKey, nameInput.value.trim()));
  const params = new URLSearchParams(location.search);
  let topic = params.get("topic") || "";
  let query = params.get("q") || "";

  function startOver() {
    const url = new URL(location.href);
    for (const [key, value] of [["topic", topic], ["q", query]]) {
      if (value) url.searchParams.set(key, value); else url.searchParams.delete(key);
    }
    history.replaceState(null, "", url);
    for (const key of Object.keys(rows)) { rows[key].forEach(row => row.remove()); rows[key].clear(); }
    loadedOnce = false;
    refresh();
  }
  topicSelect.addEventListener("change", () => { topic = topicSelect.value; startOver(); connect(); });
  let typing = null;
  searchInput.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => { query = searchInput.value.trim(); startOver(); }, 250);
  });
  searchInput.form.addEventListener("submit", event => {
    event.preventDefault();
    clearTimeout(typing);
    query = searchInput.value.trim();
    startOver();
  });

  const { age, el, now } = InboxRows;
  const thresholds = topicName => late.topics[topicName] || late.default;

  function showToast(text, isError) {
    toast.textContent = text;
    toast.className = isError ? "toast error" : "toast";
    toast.hidden = false;
    clearTimeout(showToast.timer);
    showToast.timer = setTimeout(() => { toast.hidden = true; }, isError ? 8000 : 3500);
  }
  InboxAlerts.toast = showToast;

  // Amber and red by the request's topic's thresholds; a request turning amber is announced once.
  function tint(row, list) {
    const seconds = (now() - Date.parse(row.dataset.since)) / 1000;
    const limits = thresholds(row.dataset.topic);
    const isLate = list === "open" && seconds >= limits.amber;
    row.classList.toggle("late", isLate && seconds < limits.red);
    row.classList.toggle("very-late", list === "open" && seconds >= limits.red);
    if (isLate && !announcedLate.has(row.dataset.id)) {
      announcedLate.add(row.dataset.id);
      const item = JSON.parse(row.dataset.signature || "null");
      if (item && loadedOnce && seconds < limits.amber + 120) InboxAlerts.announce(item, "late", age(row.dataset.since));
    }
  }

  function button(text, className, onClick) {
    const b = el("button", className, text);
    b.type = "button";
    b.addEventListener("click", async () => {
      b.disabled = true;
      try { await onClick(); } catch (error) { showToast(error.message, true); } finally { b.disabled = false; }
    });
    return b;
  }

  function name() {
    const value = nameInput.value.trim();
    if (!value) {
      nameInput.focus();
      throw new Error("Type your name first, so that everyone sees who has it.");
    }
    return value;
  }

  async function act(id, action, body, done) {
    let response;
    try {
      response = await fetch(`/inbox/requests/${encodeURIComponent(id)}/${action}`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "RequestVerificationToken": token },
        body: JSON.stringify(body || {}),
      });
    } catch (error) {
      showToast("The service did not answer; nothing changed. Try again.", true);
      return;
    }
    if (response.status === 401) { signIn(); return; }
    if (!response.ok) {
      let detail = `The service answered ${response.status}.`;
      try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
      showToast(detail, true);
    } else {
      showToast(done, false);
    }
    await refresh();
  }

  function signIn() {
    location.href = `/signin?returnUrl=${encodeURIComponent(location.pathname + location.search)}`;
  }

  function render(list, page) {
    const section = sections[list];
    const known = rows[list];
    const container = section.querySelector("[data-items]");
    const present = new Set();
    let previous = null;
    for (const item of page.items) {
      present.add(item.id);
      let row = known.get(item.id);
      const isNew = !row;
      if (isNew) {
        row = el("li", "item");
        known.set(item.id, row);
      }
      const signature = JSON.stringify(item);
      if (row.dataset.signature !== signature) {
        row.dataset.signature = signature;
        InboxRows.fill(row, item, list, { button, act, name, tint });
      }
      // Keep document order equal to list order, moving only what is out of place.
      const expected = previous ? previous.nextSibling : container.firstChild;
      if (expected !== row) container.insertBefore(row, expected);
      if (isNew && loadedOnce) row.classList.add("fresh");
      if (list === "open" && !seen.has(item.id)) {
        seen.add(item.id);
        if (loadedOnce) InboxAlerts.announce(item, "new");
      }
      previous = row;
    }
    for (const [id, row] of known) {
      if (!present.has(id)) { row.remove(); known.delete(id); }
    }
    const total = page.total;
    section.querySelector("[data-count]").textContent = total ? String(total) + (total > page.items.length ? ` (first ${page.items.length})` : "") : "";
    section.querySelector("[data-empty]").hidden = page.items.length > 0;
  }

  function renderTopics(topics, current) {
    const wanted = [{ topic: "", open: topics.reduce((sum, t) => sum + t.open, 0) }, ...topics];
    if (current && !wanted.some(t => t.topic === current)) wanted.push({ topic: current, open: 0 });
    const labels = wanted.map(t => `${t.topic || "All topics"}${t.open ? ` (${t.open})` : ""}`);
    const have = [...topicSelect.options].map(o => o.textContent);
    if (JSON.stringify(have) !== JSON.stringify(labels)) {
      topicSelect.replaceChildren(...wanted.map((t, i) => {
        const option = el("option", null, labels[i]);
        option.value = t.topic;
        return option;
      }));
    }
    topicSelect.value = current || "";
  }

  function tick() {
    for (const list of Object.keys(rows)) {
      for (const row of rows[list].values()) {
        const value = row.querySelector(".age-value");
        if (value) value.textContent = age(row.dataset.since);
        tint(row, list);
      }
    }
  }

  // At once when nothing was read for a second; otherwise once, a second after the last read.
  function refreshSoon() {
    if (inFlight) { again = true; return; }
    const wait = lastRead + minGap - Date.now();
    if (wait <= 0) { refresh(); return; }
    if (!pending) pending = setTimeout(() => { pending = null; refresh(); }, wait);
  }

  async function refresh() {
    if (inFlight) { again = true; return inFlight; }
    inFlight = (async () => {
      lastRead = Date.now();
      try {
        const url = new URL("/inbox/requests", location.origin);
        if (topic) url.searchParams.set("topic", topic);
        if (query) url.searchParams.set("q", query);
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (response.status === 401) { signIn(); return; }
        if (!response.ok) throw new Error(`status ${response.status}`);
        const snapshot = await response.json();
        InboxRows.clockOffset = Date.parse(snapshot.now) - Date.now();
        late = { default: snapshot.late, topics: snapshot.lateByTopic };
        renderTopics(snapshot.topics, snapshot.topic || topic);
        render("open", snapshot.open);
        render("acknowledged", snapshot.acknowledged);
        render("resolved", snapshot.resolved);
        const found = snapshot.open.total + snapshot.acknowledged.total + snapshot.resolved.total;
        searching.hidden = !snapshot.query;
        searching.querySelector("[data-summary]").textContent = snapshot.query
          ? `${found} ${found === 1 ? "request matches" : "requests match"} “${snapshot.query}”.` : "";
        loadedOnce = true;
        document.title = `${snapshot.open.total ? `(${snapshot.open.total}) ` : ""}Inbox · AssistanceRouter`;
        InboxAlerts.badge(snapshot.open.total);
        if (events && events.readyState === EventSource.OPEN) { live.textContent = "Live"; live.className = "live ok"; }
      } catch (error) {
        live.textContent = "Offline, retrying…";
        live.className = "live down";
        again = true; // read again shortly: no event may come to ask for it
      } finally {
        inFlight = null;
        if (again) { again = false; refreshSoon(); }
      }
    })();
    return inFlight;
  }

  // The stream says what changed; the page reads the inbox again (after every reconnection too: it may have missed some).
  function connect() {
    if (events) events.close();
    const url = new URL("/inbox/events", location.origin);
    if (topic) url.searchParams.set("topic", topic);
    events = new EventSource(url, { withCredentials: true });
    events.addEventListener("open", () => {
      live.textContent = "Live";
      live.className = "live ok";
      refresh();
    });
    for (const type of ["accepted", "acknowledged", "unacknowledged", "resolved", "escalated", "failed", "retried", "attempted", "reset"])
      events.addEventListener(type, refreshSoon);
    events.addEventListener("error", () => {
      live.textContent = "Reconnecting…";
      live.className = "live down";
      if (events.readyState === EventSource.CLOSED) {
        // The browser gave up (a refused answer, such as a lapsed sign-in): read once to learn why, and try again later.
        refresh();
        setTimeout(connect, 5000);
      }
    });
  }

  document.addEventListener("visibilitychange", () => { if (!document.hidden) tick(); });
  setInterval(tick, 1000);
  connect();
})();
