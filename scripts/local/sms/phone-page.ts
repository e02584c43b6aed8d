/**
 * The phone simulator served at GET /: pick a number, read what it received, answer as its owner would.
 * Everything is rendered here, on the server, with every piece of message text escaped; the script only posts
 * replies to /_emulator/reply and swaps in the thread fragment (also rendered here) when it changes.
 */
import type { Message, State } from "./state";
import { testNumbers } from "./test-numbers";

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const parisTime = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  dateStyle: "short",
  timeStyle: "medium",
});

const statusLabels: Record<string, string> = {
  SENDING: "Envoi… (sending)",
  RECEIVED: "Reçu par l'application (received)",
  TEXT_QUEUED: "En file d'attente (queued)",
  TEXT_PENDING: "En cours (pending)",
  TEXT_SUCCESSFUL: "Accepté par l'opérateur (successful)",
  TEXT_DELIVERED: "Distribué (delivered)",
  TEXT_INVALID: "Échec : numéro invalide (invalid)",
  TEXT_INVALID_MESSAGE: "Échec : message invalide (invalid message)",
  TEXT_UNREACHABLE: "Échec : injoignable (unreachable)",
  TEXT_CARRIER_UNREACHABLE: "Échec : opérateur injoignable (carrier unreachable)",
  TEXT_TTL_EXPIRED: "Échec : expiré (TTL expired)",
  TEXT_BLOCKED: "Échec : bloqué (blocked)",
  TEXT_CARRIER_BLOCKED: "Échec : bloqué par l'opérateur (carrier blocked)",
  TEXT_SPAM: "Échec : spam",
  TEXT_UNKNOWN: "Échec : inconnu (unknown)",
};
const failed = (status: string) => statusLabels[status]?.startsWith("Échec") ?? false;

/** The conversation of one handset, oldest first like a phone: what it received and what it answered. */
export function conversation(state: State, number: string): Message[] {
  return state.messages.filter(
    (m) =>
      (m.direction === "outbound" && m.to === number) || (m.direction === "inbound" && m.from === number),
  );
}

/** Which outbound messages can be answered: those from a long number with two-way SMS on. */
function answerable(state: State, message: Message): boolean {
  if (message.direction !== "outbound" || message.originationKind !== "phone-number") return false;
  return state.phoneNumbers.some((n) => n.PhoneNumber === message.from && n.TwoWayEnabled);
}

export function renderThread(state: State, number: string): string {
  const messages = conversation(state, number);
  if (messages.length === 0)
    return `<p class="empty">Aucun SMS pour ce numéro (no SMS for this number yet).</p>`;
  return messages
    .map((m) => {
      const canReply = answerable(state, m);
      const side = m.direction === "outbound" ? "received" : "sent";
      const answered = m.inReplyTo ? state.messages.find((a) => a.messageId === m.inReplyTo) : undefined;
      const who =
        m.direction === "outbound"
          ? `De (from) ${escapeHtml(m.from)}`
          : `Réponse à (reply to) ${escapeHtml(m.to)}${answered ? ` « ${escapeHtml(answered.body.slice(0, 40))} »` : ""}`;
      return `<article class="bubble ${side}${failed(m.status) ? " failed" : ""}" data-message-id="${escapeHtml(m.messageId)}"${
        canReply ? ` data-answerable="${escapeHtml(m.from)}"` : ""
      }>
  <header><strong>${who}</strong> · <time datetime="${escapeHtml(m.createdAt)}">${escapeHtml(parisTime.format(new Date(m.createdAt)))}</time></header>
  <p class="body">${escapeHtml(m.body)}</p>
  <footer><span class="status">${escapeHtml(statusLabels[m.status] ?? m.status)}</span> · ${m.parts} SMS ${escapeHtml(m.encoding)}${
    canReply
      ? ` · <button type="button" data-reply-to="${escapeHtml(m.messageId)}">Répondre (reply)</button>`
      : m.direction === "outbound" && m.originationKind === "sender-id"
        ? " · <em>expéditeur alphanumérique : pas de réponse (sender ID: no reply)</em>"
        : ""
  }</footer>
</article>`;
    })
    .join("\n");
}

/** Handsets that received something, most recent first. */
function handsets(state: State): { number: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const m of state.messages.toReversed()) {
    const number = m.direction === "outbound" ? m.to : m.from;
    counts.set(number, (counts.get(number) ?? 0) + 1);
  }
  return [...counts].map(([number, count]) => ({ number, count }));
}

const link = (number: string, text: string, selected: string | undefined) =>
  `<li><a href="/?number=${encodeURIComponent(number)}"${number === selected ? ' aria-current="page"' : ""}>${text}</a></li>`;

export function renderPhonePage(state: State, selected: string | undefined, nonce: string): string {
  const recent = handsets(state);
  const ours = [
    ...state.phoneNumbers.map(
      (n) =>
        `<li>${escapeHtml(n.PhoneNumber)} <small>${n.TwoWayEnabled ? "réponses activées (two-way on)" : "sans réponse (two-way off)"}</small></li>`,
    ),
    ...state.senderIds.map(
      (s) =>
        `<li>${escapeHtml(s.SenderId)} <small>identifiant ${escapeHtml(s.IsoCountryCode)} (sender ID)</small></li>`,
    ),
  ];
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simulateur SMS (SMS phone simulator)</title>
<style nonce="${nonce}">
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.4 system-ui, sans-serif; color: #1d2330; background: #eef1f5; }
  header.top { padding: 10px 20px; background: #1d2330; color: #fff; }
  header.top h1 { margin: 0; font-size: 18px; }
  main { display: grid; grid-template-columns: 320px 1fr; gap: 20px; padding: 20px; max-width: 1200px; margin: auto; }
  aside section { background: #fff; border-radius: 8px; padding: 12px 14px; margin-bottom: 14px; }
  aside h2 { font-size: 14px; margin: 0 0 8px; text-transform: uppercase; color: #5b6474; }
  aside ul { list-style: none; padding: 0; margin: 0; max-height: 260px; overflow: auto; }
  aside li { padding: 3px 0; }
  aside small { color: #5b6474; }
  a[aria-current] { font-weight: bold; }
  .phone { background: #fff; border-radius: 24px; padding: 16px; box-shadow: 0 2px 12px #0002; display: flex; flex-direction: column; height: calc(100vh - 110px); min-height: 420px; }
  .phone h2 { margin: 0 0 10px; font-size: 17px; }
  #thread { flex: 1; overflow-y: auto; padding: 8px; background: #f6f7f9; border-radius: 12px; }
  .bubble { max-width: 75%; margin: 8px 0; padding: 8px 12px; border-radius: 14px; background: #fff; border: 1px solid #d8dde5; }
  .bubble.sent { margin-left: auto; background: #d7ecff; border-color: #b4d8fb; }
  .bubble.failed { border-color: #d9534f; background: #fdecea; }
  .bubble header, .bubble footer { font-size: 12px; color: #5b6474; }
  .bubble .body { margin: 4px 0; white-space: pre-wrap; word-break: break-word; }
  form.reply { margin-top: 10px; display: grid; gap: 6px; }
  aside input { width: 100%; padding: 4px 6px; font: inherit; }
  form.reply textarea { width: 100%; min-height: 60px; font: inherit; padding: 6px; }
  .row { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
  #reply-target { color: #5b6474; font-size: 13px; }
  #reply-result { font-size: 13px; min-height: 1.2em; }
  #reply-result.error { color: #b52b27; }
  .empty { color: #5b6474; }
  button { font: inherit; cursor: pointer; }
</style>
</head>
<body>
<header class="top"><h1>Simulateur de téléphone SMS (SMS phone simulator)</h1></header>
<main>
<aside>
  <section>
    <h2>Numéro (number)</h2>
    <form method="get" action="/" class="row">
      <input name="number" placeholder="+33612345678" value="${escapeHtml(selected ?? "")}" required aria-label="Numéro de téléphone (phone number)">
      <button type="submit">Ouvrir (open)</button>
    </form>
  </section>
  <section>
    <h2>Ont reçu des SMS (received SMS)</h2>
    <ul>${recent.map((r) => link(r.number, `${escapeHtml(r.number)} <small>(${r.count})</small>`, selected)).join("") || "<li><small>aucun (none)</small></li>"}</ul>
  </section>
  <section>
    <h2>Numéros de test (test numbers)</h2>
    <ul>${testNumbers.map((t) => link(t.number, `${escapeHtml(t.number)} <small>${escapeHtml(t.label)}</small>`, selected)).join("")}</ul>
  </section>
  <section>
    <h2>Nos expéditeurs (our senders)</h2>
    <ul>${ours.join("") || "<li><small>aucun (none)</small></li>"}</ul>
  </section>
</aside>
${selected ? phone(state, selected) : `<section class="phone"><p class="empty">Choisissez un numéro à gauche (pick a number on the left).</p></section>`}
</main>
<script nonce="${nonce}">${script}</script>
</body>
</html>`;
}

function phone(state: State, number: string): string {
  return `<section class="phone" id="phone" data-number="${escapeHtml(number)}">
  <h2>Téléphone (phone) ${escapeHtml(number)}</h2>
  <div id="thread" aria-live="polite">${renderThread(state, number)}</div>
  <form class="reply" id="reply">
    <div id="reply-target"></div>
    <textarea name="body" required maxlength="1600" placeholder="Votre réponse (your reply)…" aria-label="Réponse (reply)"></textarea>
    <div class="row">
      <button type="submit">Envoyer (send)</button>
      <button type="button" data-quick="OUI">OUI</button>
      <button type="button" data-quick="NON">NON</button>
      <button type="button" data-quick="STOP">STOP</button>
    </div>
    <div id="reply-result" role="status"></div>
  </form>
</section>`;
}

// Plain DOM code, no data interpolated: the number comes from a data attribute, text goes through textContent.
const script = `
(() => {
  const phone = document.getElementById("phone");
  if (!phone) return;
  const number = phone.dataset.number;
  const thread = document.getElementById("thread");
  const form = document.getElementById("reply");
  const target = document.getElementById("reply-target");
  const result = document.getElementById("reply-result");
  let chosen = null;
  let last = thread.innerHTML;

  function defaultTarget() {
    const all = thread.querySelectorAll("[data-answerable]");
    return all.length ? all[all.length - 1] : null;
  }
  function showTarget() {
    const bubble = chosen ? thread.querySelector('[data-message-id="' + CSS.escape(chosen) + '"]') : defaultTarget();
    if (!bubble) {
      target.textContent = "Aucun SMS d'un numéro long à qui répondre (no message from a two-way long number to answer).";
      form.querySelector("button[type=submit]").disabled = true;
      return;
    }
    form.querySelector("button[type=submit]").disabled = false;
    target.textContent = "Réponse au SMS de (replying to the SMS from) " + bubble.dataset.answerable + " : « " +
      bubble.querySelector(".body").textContent.slice(0, 60) + " »";
  }
  function scrollDown() { thread.scrollTop = thread.scrollHeight; }

  thread.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-reply-to]");
    if (!button) return;
    chosen = button.dataset.replyTo;
    showTarget();
    form.elements.body.focus();
  });
  form.addEventListener("click", (event) => {
    const quick = event.target.closest("button[data-quick]");
    if (quick) form.elements.body.value = quick.dataset.quick;
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const bubble = chosen ? thread.querySelector('[data-message-id="' + CSS.escape(chosen) + '"]') : defaultTarget();
    if (!bubble) return;
    result.className = "";
    result.textContent = "Envoi… (sending)";
    const response = await fetch("/_emulator/reply", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: number, body: form.elements.body.value, inReplyTo: bubble.dataset.messageId }),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      result.className = "error";
      result.textContent = answer.error || ("Erreur (error) " + response.status);
      return;
    }
    result.textContent = "Publiée sur SNS (published to SNS) : " + answer.payload.inboundMessageId;
    form.elements.body.value = "";
    chosen = null;
    await refresh();
  });

  async function refresh() {
    const response = await fetch("/phone/thread?number=" + encodeURIComponent(number));
    if (!response.ok) return;
    const html = await response.text();
    if (html === last) return;
    last = html;
    thread.innerHTML = html;
    showTarget();
    scrollDown();
  }
  showTarget();
  scrollDown();
  setInterval(refresh, 1500);
})();
`;
