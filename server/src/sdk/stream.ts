/**
 * @module Server-Sent Events to SDKs. On connect: the deltas since `Last-Event-ID` when we still hold
 * them, else the whole ruleset (`put`); then a `patch` per committed version, and `ping` heartbeats.
 * Each event is encoded once per version and audience and the same bytes go to every subscriber, so a
 * kill switch fans out to thousands of streams at the cost of a memcpy each.
 */
import { HEARTBEAT_MS, type RulesetDelta } from "@switchyard/core";
import type { AppDeps, PublishedRuleset } from "../deps.js";

const encoder = new TextEncoder();

export interface StreamInfo {
  id: number;
  environment: string;
  audience: "server" | "client";
  instanceId: string | null;
  sdk: string | null;
  /** The API key the stream was opened with: revoking it ends the stream. */
  keyId: number | null;
  connectedAt: Date;
}

interface Subscriber extends StreamInfo {
  send(bytes: Uint8Array): void;
  close(): void;
}

function message(event: string, id: number | undefined, data: string): Uint8Array {
  return encoder.encode(`event: ${event}\n${id === undefined ? "" : `id: ${id}\n`}data: ${data}\n\n`);
}

/** Encodes each published version once, whatever the number of subscribers. */
const encodedPuts = new WeakMap<PublishedRuleset, Uint8Array>();
function putBytes(published: PublishedRuleset): Uint8Array {
  let bytes = encodedPuts.get(published);
  if (!bytes) {
    bytes = message("put", published.version, published.json);
    encodedPuts.set(published, bytes);
  }
  return bytes;
}
const patchBytes = (delta: RulesetDelta) => message("patch", delta.version, JSON.stringify(delta));
const PING = message("ping", undefined, "{}");

export class StreamHub {
  private readonly subscribers = new Map<number, Subscriber>();
  private readonly unsubscribes = new Map<string, () => void>();
  private nextId = 1;
  /** Other long-lived responses (OFREP refetch streams) to end on shutdown too. */
  private readonly closers = new Map<() => void, number | null>();
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly offKeys: () => void;

  constructor(
    private readonly deps: AppDeps,
    heartbeatMs = HEARTBEAT_MS,
  ) {
    this.heartbeat = setInterval(() => {
      for (const s of this.subscribers.values()) s.send(PING);
    }, heartbeatMs);
    this.heartbeat.unref?.();
    this.offKeys = deps.bus.subscribe((event) => {
      if (event.type === "keys") void this.endRevoked();
    });
  }

  /**
   * Ends the streams whose key has been revoked (on any instance: the bus carries the event). A cached
   * key lookup would let a revoked key keep listening until it reconnects; this makes revocation immediate.
   */
  private async endRevoked(): Promise<void> {
    const ids = new Set<number>();
    for (const s of this.subscribers.values()) if (s.keyId !== null) ids.add(s.keyId);
    for (const id of this.closers.values()) if (id !== null) ids.add(id);
    if (!ids.size) return;
    let revoked: Set<number>;
    try {
      const rows = await this.deps.db
        .selectFrom("api_keys")
        .select("id")
        .where("id", "in", [...ids])
        .where("revoked_at", "is not", null)
        .execute();
      revoked = new Set(rows.map((r) => r.id));
    } catch (error) {
      this.deps.logger.warn({ err: error }, "could not check for revoked stream keys");
      return;
    }
    for (const s of [...this.subscribers.values()]) if (s.keyId !== null && revoked.has(s.keyId)) s.close();
    for (const [close, id] of [...this.closers]) {
      if (id !== null && revoked.has(id)) {
        this.closers.delete(close);
        close();
      }
    }
  }

  get size(): number {
    return this.subscribers.size;
  }

  list(): StreamInfo[] {
    return [...this.subscribers.values()].map(({ send: _s, close: _c, ...info }) => info);
  }

  /** Follows an environment's store updates once, for all its subscribers. */
  private follow(environment: string): void {
    if (this.unsubscribes.has(environment)) return;
    const off = this.deps.rulesets.subscribe(environment, (update) => {
      const bytes = {
        server: update.serverDelta ? patchBytes(update.serverDelta) : putBytes(update.server),
        client: update.clientDelta ? patchBytes(update.clientDelta) : putBytes(update.client),
      };
      for (const s of this.subscribers.values()) {
        if (s.environment === environment) s.send(bytes[s.audience]);
      }
    });
    this.unsubscribes.set(environment, off);
  }

  /** Opens an SSE response for one SDK instance. */
  open(info: Omit<StreamInfo, "id" | "connectedAt">, lastEventId: number | undefined): Response {
    this.follow(info.environment);
    const id = this.nextId++;
    const hub = this;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        const subscriber: Subscriber = {
          ...info,
          id,
          connectedAt: new Date(),
          send(bytes) {
            try {
              c.enqueue(bytes);
            } catch {
              hub.subscribers.delete(id);
            }
          },
          close() {
            hub.subscribers.delete(id);
            try {
              c.close();
            } catch {
              // already closed by the client
            }
          },
        };
        hub.subscribers.set(id, subscriber);
        c.enqueue(hub.opening(info, lastEventId));
      },
      cancel() {
        hub.subscribers.delete(id);
      },
    });
    return new Response(body, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache, no-transform",
        Connection: "keep-alive",
        "X-Accel-Buffering": "no",
      },
    });
  }

  /** What a new connection hears first: a resumption delta, nothing new, or the full ruleset. */
  private opening(info: Omit<StreamInfo, "id" | "connectedAt">, lastEventId: number | undefined): Uint8Array {
    const published =
      info.audience === "server"
        ? this.deps.rulesets.server(info.environment)
        : this.deps.rulesets.client(info.environment);
    if (!published) return PING;
    if (lastEventId !== undefined) {
      if (lastEventId === published.version) return PING;
      const delta = this.deps.rulesets.deltaSince(info.environment, lastEventId, info.audience);
      if (delta) return patchBytes(delta);
    }
    return putBytes(published);
  }

  /** Registers another stream (opened with `keyId`) to end with these; returns its unregister function. */
  track(close: () => void, keyId: number | null = null): () => void {
    this.closers.set(close, keyId);
    return () => this.closers.delete(close);
  }

  /** Ends every stream (graceful shutdown): SDKs reconnect to another instance. */
  closeAll(): void {
    clearInterval(this.heartbeat);
    this.offKeys();
    for (const close of [...this.closers.keys()]) close();
    this.closers.clear();
    for (const s of [...this.subscribers.values()]) s.close();
    for (const off of this.unsubscribes.values()) off();
    this.unsubscribes.clear();
  }
}

const hubs = new WeakMap<AppDeps, StreamHub>();

/** The stream hub of an app (one per server instance). */
export function streamHubFor(deps: AppDeps): StreamHub {
  let hub = hubs.get(deps);
  if (!hub) {
    hub = new StreamHub(deps);
    hubs.set(deps, hub);
  }
  return hub;
}

/** Closes the app's streams if any were opened. */
export function closeStreams(deps: AppDeps): void {
  hubs.get(deps)?.closeAll();
  hubs.delete(deps);
}
