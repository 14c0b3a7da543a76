// Notiflows JavaScript client: a dependency-free ES module, served as is by the server at /sdk/notiflows.js.
//
//   import { Notiflows } from "https://notiflows.example.com/sdk/notiflows.js";
//   const client = new Notiflows({ apiKey: "pk_…", userId: "user_42", userKey: jwt, apiUrl: "https://notiflows.example.com" });
//   const feed = client.feed({ channelId });
//   feed.onDelivery((entry) => …); feed.onCounts((counts) => …);
//   await feed.subscribeToRealtimeNotifications();
//   const { items, total_unread } = await feed.getEntries();
//   await feed.markAsRead(items[0].id);
//
// Realtime goes over the WebSocket (/ws/v1, §15.3 of the API spec), falling back to Server-Sent Events
// (/user/v1/channels/{id}/feed/stream, §15.2) when WebSockets are unavailable. Reconnects back off exponentially with
// jitter; after the server says the credentials expired or were revoked (close 4401, or an SSE `error` event) the
// client stays disconnected until `client.setUserKey(newKey)` gives it new ones.

/** An error answered by the server (§4.4 of the API spec), or a network failure (status 0, code "network_error"). */
export class NotiflowsError extends Error {
  constructor(status, code, message, details = {}, requestId = null) {
    super(message);
    this.name = "NotiflowsError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }
}

/** Close code of a WebSocket whose credentials expired or were revoked: never reconnect with the same credentials. */
export const CLOSE_UNAUTHENTICATED = 4401;

const DEFAULT_API_URL = "http://127.0.0.1:8080";
const MAX_SEEN_IDS = 1000;

/** Reconnect delays: exponential from `base` up to `max` ms, with "equal jitter" (half fixed, half random). */
export class Backoff {
  constructor({ base = 1000, max = 30000, random = Math.random } = {}) {
    this.base = base;
    this.max = max;
    this.random = random;
    this.attempt = 0;
  }

  next() {
    const ceiling = Math.min(this.max, this.base * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  reset() {
    this.attempt = 0;
  }
}

/** A tiny event emitter; `on` returns the function that removes the listener. */
class Emitter {
  #listeners = new Map();

  on(event, callback) {
    if (typeof callback !== "function") throw new TypeError("callback must be a function");
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(callback);
    return () => this.#listeners.get(event)?.delete(callback);
  }

  emit(event, payload) {
    for (const callback of [...(this.#listeners.get(event) ?? [])]) {
      try {
        callback(payload);
      } catch (error) {
        queueMicrotask(() => { throw error; }); // a listener's bug must not break the client
      }
    }
  }
}

/** The client of one end user: `new Notiflows({apiKey, userId, userKey, apiUrl, wsUrl})`. */
export class Notiflows {
  #emitter = new Emitter();
  #feeds = new Map();
  #realtime = null;

  constructor({ apiKey, userId = null, userKey = null, apiUrl = DEFAULT_API_URL, wsUrl = null, transport = "auto", fetch: fetchImpl = null } = {}) {
    if (!apiKey) throw new TypeError("apiKey (the project's public key, pk_…) is required");
    if (!userId && !userKey) throw new TypeError("userKey (or, in development mode, userId) is required");
    if (!["auto", "websocket", "sse"].includes(transport)) throw new TypeError('transport must be "auto", "websocket" or "sse"');
    this.apiKey = apiKey;
    this.userId = userId;
    this.userKey = userKey;
    this.apiUrl = String(apiUrl).replace(/\/+$/, "");
    this.wsUrl = (wsUrl ?? this.apiUrl.replace(/^http/i, "ws") + "/ws/v1").replace(/\/+$/, "");
    this.transport = transport;
    this.fetch = fetchImpl ?? globalThis.fetch.bind(globalThis);
  }

  /** Credentials changed (e.g. a fresh user key minted by your backend): realtime reconnects with them, even after a 4401. */
  setUserKey(userKey) {
    this.userKey = userKey;
    this.#realtime?.credentialsChanged();
  }

  /** Listen to client-wide events: "status" ({status, reason}) — connecting, connected, reconnecting, unauthenticated, closed. */
  on(event, callback) {
    return this.#emitter.on(event, callback);
  }

  /** The project's channels (without config); lets clients find the in-app channel. */
  async listChannels() {
    return (await this.request("GET", "/user/v1/channels")).items;
  }

  /** The in-app channel to use when none is given: the default in_app channel, else the first one. */
  async defaultInAppChannel() {
    const inApp = (await this.listChannels()).filter((c) => c.type === "in_app");
    return inApp.find((c) => c.default) ?? inApp[0] ?? null;
  }

  /** The feed of one in-app channel (one Feed object per channel). */
  feed({ channelId } = {}) {
    if (!channelId) throw new TypeError("channelId is required");
    if (!this.#feeds.has(channelId)) this.#feeds.set(channelId, new Feed(this, channelId));
    return this.#feeds.get(channelId);
  }

  /** Stops realtime for every feed. */
  close() {
    this.#realtime?.close();
    this.#realtime = null;
  }

  /** Credentials as headers (REST) or query parameters (realtime, §3.6). The user key wins over the user id. */
  credentials() {
    const c = { api_key: this.apiKey };
    if (this.userKey) c.user_key = this.userKey;
    else c.user_id = this.userId;
    return c;
  }

  headers() {
    const c = this.credentials();
    const h = { "x-notiflows-api-key": c.api_key };
    if (c.user_key) h["x-notiflows-user-key"] = c.user_key;
    else h["x-notiflows-user-id"] = c.user_id;
    return h;
  }

  /** One User API request; resolves to the parsed JSON body (null for 204), rejects with a NotiflowsError. */
  async request(method, path, { query = null, body = undefined, signal = undefined } = {}) {
    const url = new URL(this.apiUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, value instanceof Date ? value.toISOString() : String(value));
    }
    const headers = this.headers();
    if (body !== undefined) headers["content-type"] = "application/json";
    let response;
    try {
      response = await this.fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (error) {
      if (error?.name === "AbortError") throw error;
      throw new NotiflowsError(0, "network_error", `Request failed: ${error?.message ?? error}`);
    }
    const text = await response.text();
    const json = text ? safeJson(text) : null;
    if (!response.ok) {
      const e = json?.error ?? {};
      throw new NotiflowsError(response.status, e.code ?? "http_error", e.message ?? `HTTP ${response.status}`, e.details ?? {},
        e.request_id ?? response.headers.get("x-request-id"));
    }
    return json;
  }

  /** @internal the realtime connection shared by this client's feeds. */
  realtime() {
    if (!this.#realtime) this.#realtime = new Realtime(this, (status) => this.#emitter.emit("status", status));
    return this.#realtime;
  }
}

/** One user's feed in one in-app channel (§7.2, §7.3, §15.1). */
export class Feed {
  #emitter = new Emitter();
  #seen = new Set();
  #realtime = false;

  constructor(client, channelId) {
    this.client = client;
    this.channelId = channelId;
    /** The newest entry id known (a `delivery.created` received or the first item of a list): `since` on reconnect. */
    this.lastEntryId = null;
    /** The latest counts known: {total_unread, total_unseen, total_count}. */
    this.counts = null;
  }

  get path() {
    return `/user/v1/channels/${encodeURIComponent(this.channelId)}/feed`;
  }

  /**
   * Lists entries, newest first. params: status (unseen|seen|unread|read|archived), archived, topic, created_after,
   * created_before, limit (≤ 100), after, before. Resolves to {items, page, total_count, total_unread, total_unseen}.
   */
  async getEntries(params = {}) {
    const list = await this.client.request("GET", `${this.path}/entries`, { query: params });
    for (const entry of list.items) this.#remember(entry.id);
    const counts = { total_unread: list.total_unread, total_unseen: list.total_unseen };
    if (isDefaultQuery(params)) counts.total_count = list.total_count;
    this.#setCounts({ ...this.counts, ...counts }, false);
    return list;
  }

  getEntry(id) {
    return this.client.request("GET", `${this.path}/entries/${encodeURIComponent(id)}`);
  }

  markAsSeen(idOrIds) { return this.#update(idOrIds, { seen: true }); }
  markAsRead(idOrIds) { return this.#update(idOrIds, { read: true }); }
  markAsClicked(idOrIds) { return this.#update(idOrIds, { clicked: true }); }
  /** Sets several flags at once, e.g. {read: true, clicked: true}; one request. */
  markAs(idOrIds, set) { return this.#update(idOrIds, set); }
  archive(idOrIds) { return this.#update(idOrIds, { archived: true }); }
  unarchive(idOrIds) { return this.#update(idOrIds, { archived: false }); }

  markAllAsRead() { return this.#markAll({ read: true }); }
  markAllAsSeen() { return this.#markAll({ seen: true }); }
  archiveAll() { return this.#markAll({ archived: true }); }

  /** New entries (`delivery.created`), each once even when a reconnect replays it. */
  onDelivery(callback) { return this.#emitter.on("delivery", callback); }
  /** Changed entries (`delivery.updated`) — including the changes this client makes. */
  onUpdate(callback) { return this.#emitter.on("update", callback); }
  /** Badge counts {total_unread, total_unseen, total_count}. */
  onCounts(callback) { return this.#emitter.on("counts", callback); }
  /** The client may have missed changes (bulk change, too long offline): re-fetch. Called after `resync` events. */
  onResync(callback) { return this.#emitter.on("resync", callback); }
  /** Generic form: "delivery", "update", "counts", "resync". */
  on(event, callback) { return this.#emitter.on(event, callback); }

  /** Starts receiving this feed's events live (resolves once the request to subscribe is sent or queued). */
  async subscribeToRealtimeNotifications() {
    if (this.#realtime) return;
    this.#realtime = true;
    this.client.realtime().add(this);
  }

  /** Stops receiving this feed's events. */
  unsubscribe() {
    if (!this.#realtime) return;
    this.#realtime = false;
    this.client.realtime().remove(this);
  }

  /** @internal an event of §15.1 for this feed. */
  dispatch(event, data) {
    switch (event) {
      case "delivery.created": {
        const entry = data?.entry;
        if (!entry) return;
        if (!this.lastEntryId || entry.id > this.lastEntryId) this.lastEntryId = entry.id; // v7 ids sort by time
        if (this.#seen.has(entry.id)) return;
        this.#remember(entry.id);
        this.#emitter.emit("delivery", entry);
        return;
      }
      case "delivery.updated":
        if (data?.entry) this.#emitter.emit("update", data.entry);
        return;
      case "counts":
        this.#setCounts(data, true);
        return;
      case "resync":
        this.#emitter.emit("resync", {});
        return;
      default:
    }
  }

  async #update(idOrIds, set) {
    if (Array.isArray(idOrIds)) {
      const ids = [...new Set(idOrIds)];
      if (ids.length === 0) return [];
      const results = [];
      for (let i = 0; i < ids.length; i += 100) {
        results.push(...await this.client.request("PATCH", `${this.path}/entries`, { body: { entry_ids: ids.slice(i, i + 100), set } }));
      }
      return results;
    }
    return this.client.request("PATCH", `${this.path}/entries/${encodeURIComponent(idOrIds)}`, { body: set });
  }

  #markAll(set) {
    return this.client.request("POST", `${this.path}/entries/mark-all`, { body: { set } });
  }

  #remember(id) {
    if (!this.lastEntryId || id > this.lastEntryId) this.lastEntryId = id;
    this.#seen.add(id);
    if (this.#seen.size > MAX_SEEN_IDS) this.#seen.delete(this.#seen.values().next().value);
  }

  #setCounts(counts, live) {
    if (!counts) return;
    const before = this.counts;
    this.counts = counts;
    if (live || !before || before.total_unread !== counts.total_unread || before.total_unseen !== counts.total_unseen) {
      this.#emitter.emit("counts", counts);
    }
  }
}

function isDefaultQuery(params) {
  return Object.entries(params).every(([key, value]) => value === undefined || value === null || ["limit", "after", "before"].includes(key));
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The realtime connection of one client: one WebSocket carrying every subscribed feed, or (fallback) one EventSource
 * per feed. Reconnects with backoff; stops for good on an authentication failure until the credentials change.
 */
class Realtime {
  #client;
  #onStatus;
  #feeds = new Set();
  #backoff = new Backoff();
  #socket = null;
  #sources = new Map();
  #timers = new Map();
  #mode;
  #status = "idle";
  #failures = 0;
  #generation = 0;
  #pingTimer = null;
  #connectedBefore = false;
  #streamedBefore = new WeakSet();

  constructor(client, onStatus) {
    this.#client = client;
    this.#onStatus = onStatus;
    const hasWs = typeof globalThis.WebSocket === "function";
    this.#mode = client.transport === "sse" || (client.transport === "auto" && !hasWs) ? "sse" : "websocket";
  }

  get status() { return this.#status; }
  get mode() { return this.#mode; }

  add(feed) {
    this.#feeds.add(feed);
    if (this.#status === "unauthenticated") return;
    if (this.#mode === "websocket") {
      if (this.#socket?.readyState === 1 && this.#status === "connected") this.#send({ type: "subscribe", id: `s:${feed.channelId}`, channel_id: feed.channelId, ...this.#since(feed) });
      else if (!this.#socket && !this.#timers.has("ws")) this.#connect();
    } else {
      this.#openSource(feed);
    }
  }

  remove(feed) {
    this.#feeds.delete(feed);
    if (this.#mode === "websocket") {
      if (this.#socket?.readyState === 1) this.#send({ type: "unsubscribe", channel_id: feed.channelId });
      if (this.#feeds.size === 0) this.close();
    } else {
      this.#sources.get(feed)?.close();
      this.#sources.delete(feed);
      if (this.#feeds.size === 0) this.#setStatus("closed");
    }
  }

  credentialsChanged() {
    const wasStopped = this.#status === "unauthenticated";
    this.#teardown();
    this.#backoff.reset();
    this.#failures = 0;
    if (this.#feeds.size === 0) return;
    if (wasStopped || this.#mode === "websocket") this.#connect();
    else for (const feed of this.#feeds) this.#openSource(feed);
  }

  close() {
    this.#teardown();
    this.#setStatus("closed");
  }

  #teardown() {
    this.#generation++;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    clearInterval(this.#pingTimer);
    if (this.#socket) {
      const socket = this.#socket;
      this.#socket = null;
      try { socket.close(1000); } catch { /* already closed */ }
    }
    for (const source of this.#sources.values()) source.close();
    this.#sources.clear();
  }

  #setStatus(status, reason = null) {
    if (this.#status === status) return;
    this.#status = status;
    this.#onStatus({ status, reason });
  }

  #since(feed) {
    return feed.lastEntryId ? { since: feed.lastEntryId } : {};
  }

  #connect() {
    if (this.#mode === "sse") {
      for (const feed of this.#feeds) this.#openSource(feed);
      return;
    }
    const generation = ++this.#generation;
    const url = new URL(this.#client.wsUrl);
    for (const [key, value] of Object.entries(this.#client.credentials())) url.searchParams.set(key, value);
    this.#setStatus(this.#status === "idle" || this.#status === "closed" ? "connecting" : "reconnecting");
    let socket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.#fallBackOrRetry(generation, false);
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => { opened = true; };
    socket.onmessage = (message) => {
      if (generation !== this.#generation) return;
      const m = safeJson(message.data);
      if (!m) return;
      this.#onSocketMessage(m);
    };
    socket.onclose = (close) => {
      if (generation !== this.#generation) return;
      this.#socket = null;
      clearInterval(this.#pingTimer);
      if (close.code === CLOSE_UNAUTHENTICATED) {
        this.#stop(close.reason || "credentials_revoked");
        return;
      }
      this.#fallBackOrRetry(generation, opened);
    };
  }

  #onSocketMessage(m) {
    switch (m.type) {
      case "connected":
        this.#failures = 0;
        this.#backoff.reset();
        clearInterval(this.#pingTimer);
        // Anything sent keeps the server's 90-second idle timer from closing the connection.
        this.#pingTimer = setInterval(() => this.#send({ type: "ping" }), Math.max(5000, (m.heartbeat_interval_ms ?? 30000) / 2));
        for (const feed of this.#feeds) {
          this.#send({ type: "subscribe", id: `s:${feed.channelId}`, channel_id: feed.channelId, ...this.#since(feed) });
          // Missed entries are replayed, but not missed state changes: after a gap, the feed is fetched again.
          if (this.#connectedBefore) feed.dispatch("resync", {});
        }
        this.#connectedBefore = true;
        return;
      case "ping":
        this.#send({ type: "pong", id: m.id });
        return;
      case "subscribed":
        this.#setStatus("connected"); // live from here: events of the subscribed feed reach it
        this.#feedOf(m.channel_id)?.dispatch("counts", m.counts);
        return;
      case "event":
        this.#feedOf(m.channel_id)?.dispatch(m.event, m.data);
        return;
      default:
    }
  }

  #feedOf(channelId) {
    for (const feed of this.#feeds) if (feed.channelId === channelId) return feed;
    return null;
  }

  #send(message) {
    try {
      this.#socket?.send(JSON.stringify(message));
    } catch { /* closing: the close handler reconnects */ }
  }

  /**
   * A socket that never opened may be a refused handshake (browsers hide its status): a User API request tells
   * whether the credentials are bad (stop) or the WebSocket path is blocked (fall back to SSE after two tries).
   */
  async #fallBackOrRetry(generation, opened) {
    if (!opened) {
      this.#failures++;
      const verdict = await this.#probe();
      if (generation !== this.#generation) return;
      if (verdict === "unauthenticated") {
        this.#stop("unauthenticated");
        return;
      }
      if (verdict === "ok" && this.#failures >= 2 && this.#client.transport === "auto" && typeof globalThis.EventSource === "function") {
        this.#mode = "sse";
        this.#backoff.reset();
        for (const feed of this.#feeds) this.#openSource(feed);
        return;
      }
    }
    this.#retry(() => this.#connect());
  }

  async #probe() {
    try {
      await this.#client.request("GET", "/user/v1/channels");
      return "ok";
    } catch (error) {
      return error.status === 401 || error.status === 403 ? "unauthenticated" : "unreachable";
    }
  }

  /** Runs `action` after the next backoff delay; one pending retry per key (the socket, or each feed's EventSource). */
  #retry(action, key = "ws") {
    if (this.#feeds.size === 0 || this.#status === "unauthenticated") return;
    this.#setStatus("reconnecting");
    clearTimeout(this.#timers.get(key));
    this.#timers.set(key, setTimeout(() => { this.#timers.delete(key); action(); }, this.#backoff.next()));
  }

  #stop(reason) {
    this.#teardown();
    this.#setStatus("unauthenticated", reason);
  }

  #openSource(feed) {
    if (this.#status === "unauthenticated" || !this.#feeds.has(feed)) return;
    this.#sources.get(feed)?.close();
    const url = new URL(`${this.#client.apiUrl}${feed.path}/stream`);
    for (const [key, value] of Object.entries(this.#client.credentials())) url.searchParams.set(key, value);
    if (feed.lastEntryId) url.searchParams.set("last_event_id", feed.lastEntryId);
    const generation = this.#generation;
    const source = new EventSource(url);
    this.#sources.set(feed, source);
    let opened = false;
    for (const name of ["delivery.created", "delivery.updated", "counts", "resync"]) {
      source.addEventListener(name, (e) => {
        feed.dispatch(name, safeJson(e.data));
        if (name === "counts" && !opened) {
          opened = true;
          this.#backoff.reset();
          this.#setStatus("connected");
          if (this.#streamedBefore.has(feed)) feed.dispatch("resync", {}); // missed state changes are not replayed
          this.#streamedBefore.add(feed);
        }
      });
    }
    source.addEventListener("error", (e) => {
      if (generation !== this.#generation || this.#sources.get(feed) !== source) return;
      const data = typeof e.data === "string" ? safeJson(e.data) : null;
      source.close(); // our own backoff decides when to reconnect, not the browser's fixed retry
      this.#sources.delete(feed);
      if (data?.code === "unauthenticated") {
        this.#stop(data.reason ?? "credentials_revoked");
        return;
      }
      if (!opened) {
        this.#probe().then((verdict) => {
          if (generation !== this.#generation) return;
          if (verdict === "unauthenticated") this.#stop("unauthenticated");
          else this.#retry(() => this.#openSource(feed), feed);
        });
        return;
      }
      this.#retry(() => this.#openSource(feed), feed);
    });
  }
}
