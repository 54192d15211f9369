// The inbox: polls /inbox/requests, keeps each row in place while it updates (so a button never moves under a
// pointer), and posts Take it / Give back / Resolve with the page's anti-forgery token. Text from requests only
// ever goes in through textContent, never as HTML.
"use strict";
(() => {
  const pollEvery = 4000;
  const nameKey = "assistance-router.name";
  const main = document.querySelector("main.inbox");
  const token = main.dataset.token;
  const nameInput = document.getElementById("name");
  const topicSelect = document.getElementById("topic");
  const live = document.getElementById("live");
  const toast = document.getElementById("toast");
  const sections = {
    open: document.getElementById("open"),
    acknowledged: document.getElementById("acknowledged"),
    resolved: document.getElementById("resolved"),
  };
  const rows = { open: new Map(), acknowledged: new Map(), resolved: new Map() };
  let clockOffset = 0; // server time minus this browser's, so that ages match the server's clock
  let loadedOnce = false;
  let timer = null;
  let lastOk = 0;
  let inFlight = null;

  nameInput.value = localStorage.getItem(nameKey) || "";
  nameInput.addEventListener("input", () => localStorage.setItem(nameKey, nameInput.value.trim()));
  const params = new URLSearchParams(location.search);
  let topic = params.get("topic") || "";
  topicSelect.addEventListener("change", () => {
    topic = topicSelect.value;
    const url = new URL(location.href);
    if (topic) url.searchParams.set("topic", topic); else url.searchParams.delete("topic");
    history.replaceState(null, "", url);
    for (const key of Object.keys(rows)) { rows[key].forEach(row => row.remove()); rows[key].clear(); }
    loadedOnce = false;
    refresh();
  });

  const now = () => Date.now() + clockOffset;

  function age(from) {
    const seconds = Math.max(0, Math.floor((now() - Date.parse(from)) / 1000));
    if (seconds < 60) return `${seconds} s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return `${hours} h ${minutes % 60} min`;
    return `${Math.floor(hours / 24)} d`;
  }

  function until(at) {
    const seconds = Math.floor((Date.parse(at) - now()) / 1000);
    if (seconds <= 0) return "now";
    return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
  }

  function clock(at) {
    return new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showToast(text, isError) {
    toast.textContent = text;
    toast.className = isError ? "toast error" : "toast";
    toast.hidden = false;
    clearTimeout(showToast.timer);
    showToast.timer = setTimeout(() => { toast.hidden = true; }, isError ? 8000 : 3500);
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch { return null; }
  }

  // One row's content, rebuilt from the item; the row element itself (and its place) is kept.
  function fill(row, item, list) {
    row.replaceChildren();
    row.dataset.id = item.id;
    row.dataset.since = list === "open" ? item.createdAt
      : list === "acknowledged" ? item.acknowledgement.at : item.resolution.at;

    const ageBox = el("div", "age");
    ageBox.append(el("strong", "age-value", age(row.dataset.since)),
      el("span", null, list === "open" ? "waiting" : list === "acknowledged" ? "taken" : "ago"));
    row.append(ageBox);

    const body = el("div", "body");
    const meta = el("div", "meta");
    meta.append(el("span", "topic", item.topic));
    if (list !== "open") meta.append(el("span", null, `waited ${age(item.createdAt)} in all`));
    for (const delivery of item.deliveries) {
      const state = delivery.status.toLowerCase();
      const channel = el("span", `channel ${state}`, delivery.channel);
      channel.title = state === "cancelled" ? `${delivery.channel}: not sent, taken before it went out`
        : `${delivery.channel}: ${state}, ${delivery.attempts} attempt(s)`;
      meta.append(channel);
    }
    if (list === "open" && item.escalation && item.escalation.steps > 0) {
      const next = item.escalation.nextAt ? ` · next in ${until(item.escalation.nextAt)}` : " · none left";
      meta.append(el("span", "escalation", `escalation ${item.escalation.step}/${item.escalation.steps}${next}`));
    }
    body.append(meta);

    const description = el("p", "description", item.description);
    description.title = "Click to show all of it";
    description.addEventListener("click", () => description.classList.toggle("expanded"));
    body.append(description);

    const links = el("div", "links");
    const conversation = item.conversationUrl && safeUrl(item.conversationUrl);
    if (conversation) {
      const a = el("a", "conversation", "Join the conversation");
      a.href = conversation;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      links.append(a);
    }
    if (list === "acknowledged") {
      const holder = el("span", "holder-line");
      holder.append(el("strong", null, item.acknowledgement.by), ` has it since ${clock(item.acknowledgement.at)}`,
        item.acknowledgement.via === "api" ? "" : ` (via ${item.acknowledgement.via})`);
      links.append(holder);
    }
    if (list === "resolved") {
      const holder = el("span", "holder-line");
      holder.append("Resolved by ", el("strong", null, item.resolution.by), ` at ${clock(item.resolution.at)}`);
      if (item.resolution.note) holder.append(`: ${item.resolution.note}`);
      links.append(holder);
    }
    for (const delivery of item.deliveries) {
      if (delivery.status === "Failed" || (delivery.status === "Pending" && delivery.lastError)) {
        const verb = delivery.status === "Failed" ? "failed" : "retrying";
        links.append(el("span", "problem", `${delivery.channel} ${verb}: ${delivery.lastError || "no answer"}`));
      }
    }
    if (links.childNodes.length) body.append(links);
    row.append(body);

    const actions = el("div", "actions");
    if (list === "open") actions.append(button("Take it", "primary", () => act(item.id, "acknowledge", { by: name() }, "You have it.")));
    if (list === "acknowledged") {
      actions.append(button("Give back", "", () => act(item.id, "unacknowledge", null, "Given back: it is open again.")));
      actions.append(button("Resolve", "", () => act(item.id, "resolve", { by: name() }, "Resolved.")));
    }
    row.append(actions);
    tint(row, list);
  }

  function tint(row, list) {
    const minutes = (now() - Date.parse(row.dataset.since)) / 60000;
    row.classList.toggle("late", list === "open" && minutes >= 5 && minutes < 15);
    row.classList.toggle("very-late", list === "open" && minutes >= 15);
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
    const seen = new Set();
    let previous = null;
    for (const item of page.items) {
      seen.add(item.id);
      let row = known.get(item.id);
      const isNew = !row;
      if (isNew) {
        row = el("li", "item");
        known.set(item.id, row);
      }
      const signature = JSON.stringify(item);
      if (row.dataset.signature !== signature) {
        fill(row, item, list);
        row.dataset.signature = signature;
      }
      // Keep document order equal to list order, moving only what is out of place.
      const expected = previous ? previous.nextSibling : container.firstChild;
      if (expected !== row) container.insertBefore(row, expected);
      if (isNew && loadedOnce) row.classList.add("fresh");
      previous = row;
    }
    for (const [id, row] of known) {
      if (!seen.has(id)) { row.remove(); known.delete(id); }
    }
    const total = list === "resolved" ? page.items.length : page.total;
    section.querySelector("[data-count]").textContent = total ? String(total) + (total > page.items.length ? ` (first ${page.items.length})` : "") : "";
    section.querySelector("[data-empty]").hidden = page.items.length > 0;
  }

  function renderTopics(topics, current) {
    const wanted = ["", ...topics];
    if (current && !wanted.includes(current)) wanted.push(current);
    const have = [...topicSelect.options].map(o => o.value);
    if (JSON.stringify(have) !== JSON.stringify(wanted)) {
      topicSelect.replaceChildren(...wanted.map(t => {
        const option = el("option", null, t || "All topics");
        option.value = t;
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
    if (lastOk) {
      const seconds = Math.round((Date.now() - lastOk) / 1000);
      if (seconds > 15 && !live.classList.contains("down")) live.textContent = `Updated ${seconds} s ago`;
    }
  }

  async function refresh() {
    if (inFlight) return inFlight;
    inFlight = (async () => {
      clearTimeout(timer);
      try {
        const url = topic ? `/inbox/requests?topic=${encodeURIComponent(topic)}` : "/inbox/requests";
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (response.status === 401) { signIn(); return; }
        if (!response.ok) throw new Error(`status ${response.status}`);
        const snapshot = await response.json();
        clockOffset = Date.parse(snapshot.now) - Date.now();
        renderTopics(snapshot.topics, snapshot.topic || topic);
        render("open", snapshot.open);
        render("acknowledged", snapshot.acknowledged);
        render("resolved", snapshot.resolved);
        loadedOnce = true;
        lastOk = Date.now();
        live.textContent = "Live";
        live.className = "live ok";
        document.title = `${snapshot.open.total ? `(${snapshot.open.total}) ` : ""}Inbox · AssistanceRouter`;
      } catch (error) {
        live.textContent = "Offline, retrying…";
        live.className = "live down";
      } finally {
        inFlight = null;
        if (!document.hidden) timer = setTimeout(refresh, pollEvery);
      }
    })();
    return inFlight;
  }

  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
  setInterval(tick, 1000);
  refresh();
})();
