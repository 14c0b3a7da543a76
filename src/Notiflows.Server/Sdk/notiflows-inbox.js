// <notiflows-inbox>: a drop-in in-app inbox (bell, unread badge, live list of feed entries), served at /sdk/notiflows-inbox.js.
//
//   <script type="module" src="https://notiflows.example.com/sdk/notiflows-inbox.js"></script>
//   <notiflows-inbox api-url="https://notiflows.example.com" api-key="pk_…" user-id="user_42" user-key="eyJ…"></notiflows-inbox>
//
// Attributes: api-key, user-id, user-key (an RS256 JWT minted by your backend; not needed in development mode),
// channel-id (optional: the project's default in-app channel otherwise), api-url (default: this script's origin),
// ws-url (optional). Setting a new user-key reconnects with it. Events (bubbling, composed): "notiflows:entry-click"
// (cancelable; detail {entry, url} — call preventDefault() to route yourself instead of following action_url) and
// "notiflows:status" (detail {status, reason}; also reflected as the data-status attribute: connecting, connected,
// reconnecting, unauthenticated, closed). Theme with CSS custom properties on the element: --notiflows-accent,
// --notiflows-bg, --notiflows-fg, --notiflows-muted, --notiflows-border, --notiflows-unread-bg, --notiflows-panel-width.

import { Notiflows } from "./notiflows.js";

const SCRIPT_ORIGIN = new URL(import.meta.url).origin;
const PAGE_SIZE = 20;

const escapeMap = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => escapeMap[c]);
}

/**
 * Renders the safe Markdown subset of feed entry bodies to HTML: **bold**, *italic* / _italic_, `code`, ~~strike~~,
 * [links](https://…) (http, https, mailto and relative URLs only), "- " / "* " list items, and line breaks. Everything
 * else, HTML included, is escaped and shown as text. With `links: false`, link texts are kept but not clickable
 * (an entry is itself a link, and links do not nest).
 */
export function renderMarkdown(source, { links = true } = {}) {
  const lines = escapeHtml(source).split(/\r?\n/);
  return lines.map((line) => {
    const item = /^\s*[-*+]\s+(.*)$/.exec(line);
    const html = inline(item ? item[1] : line, links);
    return item ? `<span class="md-li">${html}</span>` : html;
  }).join("<br>").replace(/(<\/span>)<br>(<span class="md-li">)/g, "$1$2");
}

function inline(text, links) {
  const codes = [];
  // Code spans first, so their content is not formatted; restored at the end.
  let html = text.replace(/`([^`]+)`/g, (_, code) => `\u0000${codes.push(code) - 1}\u0000`);
  html = html.replace(/\[([^\]]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)/g, (whole, label, url) => {
    if (!links) return `<span class="md-a">${label}</span>`;
    return safeUrl(unescapeHtml(url)) ? `<a href="${url}" target="_blank" rel="noopener noreferrer">${label}</a>` : label;
  });
  html = html
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, "<strong>$1</strong>")
    .replace(/__(?=\S)([\s\S]*?\S)__/g, "<strong>$1</strong>")
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, "<del>$1</del>")
    .replace(/(^|[^*\w])\*(?=\S)([^*]*?\S)\*(?![*\w])/g, "$1<em>$2</em>")
    .replace(/(^|[^_\w])_(?=\S)([^_]*?\S)_(?![_\w])/g, "$1<em>$2</em>");
  return html.replace(/\u0000(\d+)\u0000/g, (_, i) => `<code>${codes[Number(i)]}</code>`);
}

function unescapeHtml(text) {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]);
}

/** True for http(s), mailto and relative URLs; false for javascript:, data: and every other scheme. */
export function safeUrl(url) {
  if (typeof url !== "string" || url.trim() === "") return false;
  const base = globalThis.location?.href ?? "http://localhost/";
  try {
    return ["http:", "https:", "mailto:"].includes(new URL(url, base).protocol);
  } catch {
    return false;
  }
}

/** "just now", "5 minutes ago", "yesterday", … in the page's language. */
export function relativeTime(iso, now = Date.now(), locale = globalThis.navigator?.language) {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (!Number.isFinite(seconds)) return "";
  if (Math.abs(seconds) < 45) return new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(0, "second");
  const units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
  const [unit, size] = units.find(([, s]) => Math.abs(seconds) >= s) ?? ["minute", 60];
  return new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(Math.round(seconds / size), unit);
}

function actorName(actor) {
  if (!actor || actor.deleted) return "";
  return [actor.first_name, actor.last_name].filter(Boolean).join(" ") || actor.external_id || "";
}

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join("");
}

const BELL = `<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"><path fill="currentColor"
  d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2
  2v1h18v-1l-2-2Z"/></svg>`;

const STYLE = `
:host { position: relative; display: inline-block; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --accent: var(--notiflows-accent, #4f46e5); --bg: var(--notiflows-bg, #fff); --fg: var(--notiflows-fg, #111827);
  --muted: var(--notiflows-muted, #6b7280); --border: var(--notiflows-border, #e5e7eb); --unread: var(--notiflows-unread-bg, #eef2ff); }
@media (prefers-color-scheme: dark) { :host { --bg: var(--notiflows-bg, #1f2937); --fg: var(--notiflows-fg, #f9fafb);
  --muted: var(--notiflows-muted, #9ca3af); --border: var(--notiflows-border, #374151); --unread: var(--notiflows-unread-bg, #312e81); } }
[hidden] { display: none !important; }
.bell { position: relative; display: grid; place-items: center; width: 40px; height: 40px; border: 0; border-radius: 50%;
  background: transparent; color: inherit; cursor: pointer; }
.bell:hover { background: color-mix(in srgb, currentColor 10%, transparent); }
.bell:focus-visible, .entry:focus-visible, .action:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.badge { position: absolute; top: 2px; right: 0; min-width: 18px; height: 18px; padding: 0 5px; box-sizing: border-box; border-radius: 9px;
  background: #dc2626; color: #fff; font-size: 11px; font-weight: 700; line-height: 18px; text-align: center; }
.panel { position: absolute; z-index: 1000; top: calc(100% + 8px); right: 0; width: var(--notiflows-panel-width, 380px); max-width: 95vw;
  max-height: min(520px, 80vh); display: flex; flex-direction: column; background: var(--bg); color: var(--fg);
  border: 1px solid var(--border); border-radius: 12px; box-shadow: 0 12px 32px rgba(0, 0, 0, .18); overflow: hidden; }
header { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 12px 16px;
  border-bottom: 1px solid var(--border); }
h2 { margin: 0; font-size: 16px; font-weight: 600; }
.action { border: 0; background: none; color: var(--accent); font: inherit; font-size: 13px; cursor: pointer; padding: 4px; border-radius: 4px; }
.action:disabled { color: var(--muted); cursor: default; }
ul { list-style: none; margin: 0; padding: 0; overflow-y: auto; }
li + li { border-top: 1px solid var(--border); }
.entry { display: flex; gap: 12px; width: 100%; box-sizing: border-box; padding: 12px 16px; border: 0; background: none; color: inherit;
  font: inherit; text-align: left; text-decoration: none; cursor: pointer; }
.entry:focus-visible { outline-offset: -2px; }
.entry:hover { background: color-mix(in srgb, var(--accent) 6%, transparent); }
.entry.unread { background: var(--unread); }
.avatar { flex: none; display: grid; place-items: center; width: 36px; height: 36px; border-radius: 50%; background: var(--accent);
  color: #fff; font-size: 13px; font-weight: 600; overflow: hidden; }
.avatar img { width: 100%; height: 100%; object-fit: cover; }
.content { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 2px; }
.title { font-weight: 600; }
.body { overflow-wrap: anywhere; }
.body code { font-family: ui-monospace, monospace; font-size: 12px; padding: 0 3px; border-radius: 3px; background: var(--border); }
.body .md-li { display: block; padding-left: 1em; text-indent: -.7em; }
.body .md-li::before { content: "• "; }
.body .md-a { text-decoration: underline; }
.meta { color: var(--muted); font-size: 12px; }
.dot { flex: none; width: 8px; height: 8px; margin-top: 6px; border-radius: 50%; background: var(--accent); }
.note { margin: 0; padding: 32px 16px; color: var(--muted); text-align: center; }
.error { color: #dc2626; padding: 12px 16px; }
.more { padding: 8px; text-align: center; border-top: 1px solid var(--border); }
@keyframes arrive { from { opacity: 0; transform: translateY(-4px); } }
li.new { animation: arrive .25s ease-out; }
`;

/** The inbox element. Properties once started: `client` (Notiflows), `feed` (Feed), `entries` (shown entries). */
export class NotiflowsInbox extends HTMLElement {
  static observedAttributes = ["api-key", "user-id", "user-key", "channel-id", "api-url", "ws-url"];

  client = null;
  feed = null;
  entries = [];
  #counts = { total_unread: 0, total_unseen: 0, total_count: 0 };
  #page = null;
  #unsubscribers = [];
  #startQueued = false;
  #generation = 0;
  #clock = null;
  #ui;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.innerHTML = `<style>${STYLE}</style>
      <button class="bell" part="bell" type="button" aria-haspopup="dialog" aria-expanded="false" aria-controls="panel"
        aria-label="Notifications">${BELL}<span class="badge" part="badge" aria-hidden="true" hidden></span></button>
      <section class="panel" part="panel" id="panel" role="dialog" aria-labelledby="heading" hidden>
        <header><h2 id="heading">Notifications</h2>
          <button class="action mark-all" type="button" disabled>Mark all as read</button></header>
        <p class="error" role="alert" hidden></p>
        <ul class="list" aria-labelledby="heading"></ul>
        <p class="note empty" hidden>You're all caught up.</p>
        <p class="note loading">Loading…</p>
        <div class="more" hidden><button class="action load-more" type="button">Show older</button></div>
      </section>`;
    const $ = (s) => root.querySelector(s);
    this.#ui = { bell: $(".bell"), badge: $(".badge"), panel: $(".panel"), list: $(".list"), empty: $(".empty"), loading: $(".loading"),
      error: $(".error"), markAll: $(".mark-all"), more: $(".more"), loadMore: $(".load-more") };
    this.#ui.bell.addEventListener("click", () => this.toggle());
    this.#ui.markAll.addEventListener("click", () => this.#markAllRead());
    this.#ui.loadMore.addEventListener("click", () => this.#loadOlder());
    this.#ui.panel.addEventListener("keydown", (e) => this.#onKey(e));
    this.#ui.list.addEventListener("click", (e) => this.#onEntryClick(e));
  }

  get open() {
    return !this.#ui.panel.hidden;
  }

  connectedCallback() {
    document.addEventListener("click", this.#onDocumentClick);
    document.addEventListener("keydown", this.#onDocumentKey);
    this.#scheduleStart();
  }

  disconnectedCallback() {
    document.removeEventListener("click", this.#onDocumentClick);
    document.removeEventListener("keydown", this.#onDocumentKey);
    this.#stop();
  }

  attributeChangedCallback(name, before, after) {
    if (before === after || !this.isConnected) return;
    if (name === "user-key" && this.client && after) {
      this.client.setUserKey(after); // fresh credentials: no need to start over
      return;
    }
    this.#scheduleStart();
  }

  toggle(force = !this.open) {
    const { panel, bell } = this.#ui;
    if (force === this.open) return;
    panel.hidden = !force;
    bell.setAttribute("aria-expanded", String(force));
    clearInterval(this.#clock);
    if (force) {
      this.#clock = setInterval(() => this.#refreshTimes(), 30000);
      this.#refreshTimes();
      this.#markShownSeen();
      (this.#ui.list.querySelector(".entry") ?? this.#ui.markAll).focus({ preventScroll: true });
    } else if (this.shadowRoot.activeElement) {
      bell.focus();
    }
  }

  #scheduleStart() {
    if (this.#startQueued) return;
    this.#startQueued = true;
    queueMicrotask(() => {
      this.#startQueued = false;
      if (this.isConnected) this.#start();
    });
  }

  async #start() {
    this.#stop();
    const generation = ++this.#generation;
    const apiKey = this.getAttribute("api-key");
    const userId = this.getAttribute("user-id");
    const userKey = this.getAttribute("user-key");
    if (!apiKey || (!userId && !userKey)) {
      this.#showError("Set the api-key and user-id (or user-key) attributes.");
      return;
    }
    this.client = new Notiflows({ apiKey, userId, userKey, apiUrl: this.getAttribute("api-url") || SCRIPT_ORIGIN,
      wsUrl: this.getAttribute("ws-url") || null });
    this.#unsubscribers.push(this.client.on("status", (s) => this.#onStatus(s)));
    try {
      let channelId = this.getAttribute("channel-id");
      if (!channelId) {
        const channel = await this.client.defaultInAppChannel();
        if (!channel) throw new Error("This project has no in-app channel.");
        channelId = channel.id;
      }
      if (generation !== this.#generation) return;
      const feed = this.feed = this.client.feed({ channelId });
      this.#unsubscribers.push(
        feed.onDelivery((entry) => this.#onDelivery(entry)),
        feed.onUpdate((entry) => this.#onUpdate(entry)),
        feed.onCounts((counts) => this.#setCounts(counts)),
        feed.onResync(() => this.#reload()));
      await feed.subscribeToRealtimeNotifications();
      await this.#reload();
    } catch (error) {
      if (generation === this.#generation) this.#showError(error.message);
    }
  }

  #stop() {
    this.#generation++;
    for (const off of this.#unsubscribers.splice(0)) off();
    this.feed?.unsubscribe();
    this.client?.close();
    this.client = null;
    this.feed = null;
  }

  async #reload() {
    const feed = this.feed;
    const list = await feed.getEntries({ limit: PAGE_SIZE });
    if (feed !== this.feed) return;
    this.#showError(null);
    this.entries = list.items;
    this.#page = list.page;
    this.#setCounts(list);
    this.#renderList();
    if (this.open) this.#markShownSeen();
  }

  async #loadOlder() {
    if (!this.#page?.after) return;
    const feed = this.feed;
    const list = await feed.getEntries({ limit: PAGE_SIZE, after: this.#page.after });
    if (feed !== this.feed) return;
    const known = new Set(this.entries.map((e) => e.id));
    this.entries.push(...list.items.filter((e) => !known.has(e.id)));
    this.#page = { ...this.#page, after: list.page.after, has_more_after: list.page.has_more_after };
    this.#renderList();
    this.#markShownSeen();
  }

  #onDelivery(entry) {
    if (this.entries.some((e) => e.id === entry.id)) return;
    this.entries.unshift(entry);
    this.#renderList(entry.id);
    if (this.open) this.#markShownSeen();
  }

  #onUpdate(entry) {
    const i = this.entries.findIndex((e) => e.id === entry.id);
    if (i < 0) return;
    if (entry.archived_at) this.entries.splice(i, 1);
    else this.entries[i] = entry;
    this.#renderList();
  }

  #applyUpdates(updated) {
    for (const entry of [updated].flat()) this.#onUpdate(entry);
  }

  #setCounts(counts) {
    this.#counts = { ...this.#counts, ...counts };
    const unread = this.#counts.total_unread ?? 0;
    const { badge, bell, markAll } = this.#ui;
    badge.hidden = unread === 0;
    badge.textContent = unread > 99 ? "99+" : String(unread);
    bell.setAttribute("aria-label", unread === 0 ? "Notifications" : `Notifications, ${unread} unread`);
    markAll.disabled = unread === 0;
  }

  async #markShownSeen() {
    const ids = this.entries.filter((e) => !e.seen_at).map((e) => e.id);
    if (!this.feed || ids.length === 0) return;
    const now = new Date().toISOString();
    for (const e of this.entries) if (ids.includes(e.id)) e.seen_at ??= now; // at once; the server's answer follows
    try {
      this.#applyUpdates(await this.feed.markAsSeen(ids));
    } catch (error) {
      this.#showError(error.message);
    }
  }

  async #markAllRead() {
    try {
      await this.feed.markAllAsRead(); // answered by a resync and a counts event; reload anyway when realtime is down
      if (this.client.realtime().status !== "connected") await this.#reload();
    } catch (error) {
      this.#showError(error.message);
    }
  }

  async #onEntryClick(event) {
    const item = event.target.closest(".entry");
    const entry = item && this.entries.find((e) => e.id === item.dataset.id);
    if (!entry) return;
    const newTab = event.ctrlKey || event.metaKey || event.shiftKey || event.button === 1;
    if (!newTab) event.preventDefault(); // a new tab opens the link itself; the entry is still marked
    const url = safeUrl(entry.data?.action_url) ? new URL(entry.data.action_url, location.href).href : null;
    const click = new CustomEvent("notiflows:entry-click", { detail: { entry, url }, bubbles: true, composed: true, cancelable: true });
    const follow = this.dispatchEvent(click) && url && !newTab;
    const marking = this.feed.markAs(entry.id, { seen: true, read: true, clicked: true })
      .then((updated) => {
        this.#applyUpdates(updated);
        if (this.client?.realtime().status !== "connected") return this.#reload();
        return undefined;
      })
      .catch((error) => this.#showError(error.message));
    if (follow) {
      // Give the request a moment to be sent before a navigation to another page cancels it.
      await Promise.race([marking, new Promise((resolve) => setTimeout(resolve, 1500))]);
      location.assign(url);
    }
  }

  #onKey(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Home" && event.key !== "End") return;
    const items = [...this.#ui.list.querySelectorAll(".entry")];
    if (items.length === 0) return;
    event.preventDefault();
    const at = items.indexOf(this.shadowRoot.activeElement);
    const next = { ArrowDown: Math.min(at + 1, items.length - 1), ArrowUp: Math.max(at - 1, 0), Home: 0, End: items.length - 1 }[event.key];
    items[next].focus();
  }

  /** Escape closes the open panel wherever the focus is (a followed link may have moved it out), and focuses the bell. */
  #onDocumentKey = (event) => {
    if (event.key !== "Escape" || !this.open) return;
    this.toggle(false);
    this.#ui.bell.focus();
  };

  #onDocumentClick = (event) => {
    if (this.open && !event.composedPath().includes(this)) this.toggle(false);
  };

  #onStatus({ status, reason }) {
    this.dataset.status = status; // e.g. style the bell with notiflows-inbox[data-status="reconnecting"]
    this.dispatchEvent(new CustomEvent("notiflows:status", { detail: { status, reason }, bubbles: true, composed: true }));
    if (status === "unauthenticated") this.#showError("Your session has expired. Live updates are paused.");
    else if (status === "connected") this.#showError(null);
  }

  #showError(message) {
    const { error, loading } = this.#ui;
    error.hidden = !message;
    error.textContent = message ?? "";
    if (message) loading.hidden = true;
  }

  #renderList(newId = null) {
    const { list, empty, loading, more } = this.#ui;
    const focusedId = this.shadowRoot.activeElement?.dataset?.id;
    list.replaceChildren(...this.entries.map((entry) => this.#renderEntry(entry, entry.id === newId)));
    loading.hidden = true;
    empty.hidden = this.entries.length > 0;
    more.hidden = !this.#page?.has_more_after;
    if (focusedId) list.querySelector(`.entry[data-id="${CSS.escape(focusedId)}"]`)?.focus({ preventScroll: true });
  }

  #renderEntry(entry, isNew) {
    const data = entry.data ?? {};
    const actor = actorName(entry.actor);
    const unread = !entry.read_at;
    const url = safeUrl(data.action_url) ? data.action_url : null;
    const li = document.createElement("li");
    if (isNew) li.className = "new";
    const avatar = entry.actor?.avatar && safeUrl(entry.actor.avatar)
      ? `<img src="${escapeHtml(entry.actor.avatar)}" alt="">`
      : escapeHtml(initials(actor) || "•");
    const tag = url ? "a" : "button";
    const target = url ? `href="${escapeHtml(url)}"` : `type="button"`;
    const title = data.title ? `<span class="title">${escapeHtml(data.title)}</span>` : "";
    li.innerHTML = `<${tag} class="entry${unread ? " unread" : ""}" part="entry" ${target} data-id="${escapeHtml(entry.id)}">
      <span class="avatar" aria-hidden="true">${avatar}</span>
      <span class="content">${title}<span class="body">${renderMarkdown(data.body ?? "", { links: false })}</span>
        <span class="meta">${actor ? `${escapeHtml(actor)} · ` : ""}<time datetime="${escapeHtml(entry.created_at)}">${
          escapeHtml(relativeTime(entry.created_at))}</time></span></span>
      ${unread ? '<span class="dot" role="img" aria-label="Unread"></span>' : ""}</${tag}>`;
    return li;
  }

  #refreshTimes() {
    for (const time of this.#ui.list.querySelectorAll("time")) time.textContent = relativeTime(time.getAttribute("datetime"));
  }
}

if (!customElements.get("notiflows-inbox")) customElements.define("notiflows-inbox", NotiflowsInbox);
