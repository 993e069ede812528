/** @module The per-instance SDK services (streams, usage and ack recorders), created on first use. */
import { AckRecorder } from "../delivery/acks.js";
import type { AppDeps } from "../deps.js";
import { ShadowRecorder } from "../shadow/ingest.js";
import { UsageRecorder } from "../usage/ingest.js";
import { closeStreams, streamHubFor } from "./stream.js";

export interface SdkServices {
  usage: UsageRecorder;
  acks: AckRecorder;
  shadow: ShadowRecorder;
  /** Marks instances holding a stream as alive, so the delivery view counts quiet but connected SDKs. */
  liveness: ReturnType<typeof setInterval>;
}

const LIVENESS_MS = 15_000;

const services = new WeakMap<AppDeps, SdkServices>();

export function sdkServicesFor(deps: AppDeps): SdkServices {
  let s = services.get(deps);
  if (!s) {
    const acks = new AckRecorder(deps);
    const liveness = setInterval(() => {
      for (const stream of streamHubFor(deps).list()) {
        if (stream.instanceId) acks.seen(stream.environment, stream.instanceId, stream.sdk ?? "unknown");
      }
    }, LIVENESS_MS);
    liveness.unref?.();
    s = { usage: new UsageRecorder(deps), acks, shadow: new ShadowRecorder(deps), liveness };
    services.set(deps, s);
  }
  return s;
}

export { streamHubFor };

/** Writes what the recorders hold now (shutdown, before waiting for in-flight requests). */
export async function flushSdkWriters(deps: AppDeps): Promise<void> {
  const s = services.get(deps);
  if (s) await Promise.all([s.usage.flush(), s.acks.flush(), s.shadow.flush()]);
}

export { closeStreams };

/** Graceful shutdown: end streams, then write what the recorders still hold. */
export async function closeSdkServices(deps: AppDeps): Promise<void> {
  closeStreams(deps);
  const s = services.get(deps);
  services.delete(deps);
  if (s) {
    clearInterval(s.liveness);
    await Promise.all([s.usage.close(), s.acks.close(), s.shadow.close()]);
  }
}
