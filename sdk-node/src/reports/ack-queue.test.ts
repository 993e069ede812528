import type { AckReport } from "@switchyard/core";
import { afterEach, describe, expect, it } from "vitest";
import { FakeServer, until } from "../testing/fake-server.js";
import { AckQueue } from "./ack-queue.js";

const servers: FakeServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function queue(maxPending = 100) {
  const server = await FakeServer.start();
  servers.push(server);
  const errors: Error[] = [];
  const http = {
    baseUrl: server.url,
    sdkKey: "k",
    instanceId: "i-1",
    fetch: globalThis.fetch,
    requestTimeoutMs: 2_000,
  };
  const acks = new AckQueue(http, { delayMs: 1, maxPending, onError: (e) => errors.push(e) });
  const versions = () => server.reports<AckReport>("/sdk/v1/ack").map((r) => r.acks.map((a) => a.version));
  return { server, acks, errors, versions };
}

describe("AckQueue", () => {
  it("batches acks and sends the ones applied while a request was in flight right after it", async () => {
    const { acks, versions } = await queue();
    acks.add(1, 10);
    const inFlight = acks.send();
    acks.add(2, 20);
    acks.add(3, 30);
    await inFlight;
    await until(() => versions().length === 2, 5_000, "second batch");
    expect(versions()).toEqual([[1], [2, 3]]);
  });

  it("keeps only the newest acks while the server is away, and sends them once it is back", async () => {
    const { server, acks, errors, versions } = await queue(2);
    server.reportStatus = 503;
    for (let v = 1; v <= 5; v++) acks.add(v, v);
    await until(() => errors.length > 0, 5_000, "failure");
    server.reportStatus = 202;
    await acks.close(AbortSignal.timeout(2_000));
    expect(versions().at(-1)).toEqual([4, 5]);
    expect(acks.size).toBe(0);
  });
});
