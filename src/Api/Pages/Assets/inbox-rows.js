// One row of the inbox, made from an item of /inbox/requests: its age, topic, deliveries, escalation, description,
// links and buttons. Text from requests only ever goes in through textContent, never as HTML.
"use strict";
window.InboxRows = (() => {
  let clockOffset = 0; // server time minus this browser's, so that ages match the server's clock

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

  const clock = at => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // One person whatever the case or Unicode form a name is typed in, as the server compares names (NFKC, no case).
  const same = (a, b) => a.trim().normalize("NFKC").toUpperCase() === b.trim().normalize("NFKC").toUpperCase();

  function safeUrl(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch { return null; }
  }

  // One row's content, rebuilt from the item; the row element itself (and its place) is kept.
  function fill(row, item, list, { button, act, name, tint }) {
    row.replaceChildren();
    row.dataset.id = item.id;
    row.dataset.topic = item.topic;
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
    if (list === "open" && item.escalationRanOut) {
      const ranOut = el("span", "ran-out", "escalation ran out");
      ranOut.title = `All ${item.escalation.steps} escalation steps ran and nobody has it: nothing will remind anyone again.`;
      meta.append(ranOut);
    } else if (list === "open" && item.escalation && item.escalation.steps > 0 && item.escalation.nextAt) {
      meta.append(el("span", "escalation", `escalation ${item.escalation.step}/${item.escalation.steps} · next in ${until(item.escalation.nextAt)}`));
    }
    body.append(meta);

    const description = el("p", "description", item.description);
    description.dir = "auto"; // its own direction, isolated: a right-to-left text cannot reorder the row around it
    description.title = "Click to show all of it";
    description.addEventListener("click", () => description.classList.toggle("expanded"));
    body.append(description);

    const links = el("div", "links");
    const details = el("a", "details", "Details");
    details.href = `/inbox/requests/${encodeURIComponent(item.id)}`;
    details.title = "Everything about this request: its history, deliveries and errors";
    links.append(details);
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
    const failed = item.deliveries.some(d => d.status === "Failed");
    for (const delivery of item.deliveries) {
      if (delivery.status === "Failed" || (delivery.status === "Pending" && delivery.lastError)) {
        const verb = delivery.status === "Failed" ? "failed" : "retrying";
        links.append(el("span", "problem", `${delivery.channel} ${verb}: ${delivery.lastError || "no answer"}`));
      }
    }
    body.append(links);
    row.append(body);

    const actions = el("div", "actions");
    if (list === "open") {
      if (failed) actions.append(button("Retry", "", () => act(item.id, "retry", null, "The failed deliveries are being tried again.")));
      actions.append(button("Take it", "primary", () => act(item.id, "acknowledge", { by: name() }, "You have it.")));
    }
    if (list === "acknowledged") {
      // Someone else's request: asked first, naming whose it is (names compare as the server compares them).
      const mine = () => !item.acknowledgement || same(item.acknowledgement.by, name());
      const sure = question => mine() || confirm(`${item.acknowledgement.by} has this request. ${question} anyway, as ${name()}? Everyone sees who did.`);
      actions.append(button("Give back", "", () => sure("Give it back") && act(item.id, "unacknowledge", { by: name() }, "Given back: it is open again.")));
      actions.append(button("Resolve", "", () => sure("Resolve it") && act(item.id, "resolve", { by: name() }, "Resolved.")));
    }
    row.append(actions);
    tint(row, list);
  }

  return {
    age, el, fill, now,
    set clockOffset(offset) { clockOffset = offset; },
  };
})();
