// The inbox's ways of telling without being looked at: desktop notifications (asked for on a click, never on load),
// a short sound made with Web Audio (nothing downloaded), and the open count on the tab's icon. inbox.js calls
// InboxAlerts.announce() for a new request and for one that turns late, and InboxAlerts.badge() with the count.
"use strict";
window.InboxAlerts = (() => {
  const notifyKey = "assistance-router.notify";
  const soundKey = "assistance-router.sound";
  const notifyButton = document.getElementById("notify");
  const soundButton = document.getElementById("sound");
  const icon = document.querySelector("link[rel=icon]");
  const plainIcon = icon.href;
  let audio = null;
  let say = () => {};

  const supported = "Notification" in window;
  const notifying = () => supported && Notification.permission === "granted" && localStorage.getItem(notifyKey) === "on";
  const sounding = () => localStorage.getItem(soundKey) === "on";

  function showState() {
    const blocked = supported && Notification.permission === "denied";
    notifyButton.setAttribute("aria-pressed", String(notifying()));
    notifyButton.textContent = !supported ? "Notify: n/a" : blocked ? "Notify: blocked" : notifying() ? "Notify: on" : "Notify";
    soundButton.setAttribute("aria-pressed", String(sounding()));
    soundButton.textContent = sounding() ? "Sound: on" : "Sound";
  }

  notifyButton.addEventListener("click", async () => {
    if (!supported) { say("This browser cannot show desktop notifications.", true); return; }
    if (notifying()) { localStorage.setItem(notifyKey, "off"); showState(); say("Desktop notifications are off.", false); return; }
    const answer = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
    if (answer === "granted") {
      localStorage.setItem(notifyKey, "on");
      say("Desktop notifications are on: new and late requests show while this tab is in the background.", false);
    } else if (answer === "denied") {
      say("This browser blocks notifications from this page: allow them in the site's settings, then press Notify again.", true);
    } else {
      say("Notifications were not allowed; press Notify again to be asked once more.", true);
    }
    showState();
  });

  soundButton.addEventListener("click", () => {
    localStorage.setItem(soundKey, sounding() ? "off" : "on");
    showState();
    if (sounding()) chime("new"); // pressing it lets the page play sound, and lets you hear which
  });

  // Browsers let a page start sound only after a person interacted with it; any key or click will do.
  const unlock = () => { if (sounding() && audio && audio.state === "suspended") audio.resume(); };
  document.addEventListener("pointerdown", unlock, { capture: true });
  document.addEventListener("keydown", unlock, { capture: true });

  // Two short tones: rising for a new request, falling for one that turns late.
  function chime(kind) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = audio || new Context();
    if (audio.state === "suspended") audio.resume();
    const tones = kind === "late" ? [523.25, 392] : [659.25, 880];
    tones.forEach((frequency, i) => {
      const start = audio.currentTime + i * 0.16;
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.15);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.16);
    });
  }

  // A desktop notification only while the page is out of sight: in sight, the row flashes and that is enough.
  function announce(item, kind, late) {
    if (sounding()) chime(kind);
    if (!notifying() || (!document.hidden && document.hasFocus())) return;
    const words = item.description.length > 140 ? `${item.description.slice(0, 140)}…` : item.description;
    const title = kind === "late" ? `Waiting ${late} · ${item.topic}` : `New request · ${item.topic}`;
    const notification = new Notification(title, { body: words, tag: `${item.id}:${kind}`, icon: plainIcon });
    notification.addEventListener("click", () => {
      window.focus();
      location.href = `/inbox/requests/${encodeURIComponent(item.id)}`;
    });
  }

  // The tab's icon with the open count on it, drawn on a canvas (the page's policy allows data: images).
  function badge(count) {
    if (!count) { icon.href = plainIcon; return; }
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 64;
    const g = canvas.getContext("2d");
    g.fillStyle = "#1d5fd1";
    g.beginPath();
    g.roundRect(0, 0, 64, 64, 14);
    g.fill();
    const text = count > 99 ? "99+" : String(count);
    g.fillStyle = "#d93025";
    g.beginPath();
    g.roundRect(text.length > 1 ? 14 : 22, 18, text.length > 1 ? 50 : 42, 46, 23);
    g.fill();
    g.fillStyle = "#fff";
    g.font = `bold ${text.length > 2 ? 24 : 32}px system-ui, sans-serif`;
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.fillText(text, text.length > 1 ? 39 : 43, 42);
    icon.href = canvas.toDataURL("image/png");
  }

  showState();
  return {
    announce,
    badge,
    /// Where messages for the person go (the page's toast).
    set toast(show) { say = show; },
  };
})();
