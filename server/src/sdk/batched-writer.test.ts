import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, type TestServer } from "../../test/harness.js";
import { MAX_ATTEMPTS } from "./batched-writer.js";
import { sdkServicesFor } from "./services.js";

let t: TestServer;
let server: string;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
  server = await t.createKey("server", "staging");
});
afterAll(() => t.close());

const report = (flag: string, count: number) =>
  json(
    "POST",
    { instanceId: "i-1", sdk: "test", start: 0, end: 1, evaluations: [{ flag, variant: "on", count }] },
    { authorization: server },
  );

const stored = async (flag: string) => {
  const row = await t.deps.db
    .selectFrom("evaluation_metrics")
    .select((eb) => eb.fn.sum<number>("count").as("n"))
    .where("flag_key", "=", flag)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
};

/** Makes every store of evaluation metrics fail, as an unreachable database would. */
const breakTable = () =>
  sql`alter table evaluation_metrics rename to evaluation_metrics_away`.execute(t.deps.db);
const mendTable = () =>
  sql`alter table evaluation_metrics_away rename to evaluation_metrics`.execute(t.deps.db);

async function metric(name: string): Promise<number> {
  const text = await (await t.request("/metrics")).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{writer="evaluation metrics"}`));
  return Number(line?.split(" ").pop());
}

describe("the batched metrics writer when the database fails", () => {
  it("keeps the batch and writes it once the database is back", async () => {
    const usage = sdkServicesFor(t.deps).usage;
    expect((await t.request("/sdk/v1/metrics", report("retry-flag", 7))).status).toBe(202);
    await breakTable();
    await usage.flush();
    await usage.flush();
    await mendTable();
    expect((await t.request("/sdk/v1/metrics", report("retry-flag", 5))).status).toBe(202);
    await usage.flush();
    expect(await stored("retry-flag")).toBe(12);
    expect(await metric("switchyard_batched_write_failures_total")).toBeGreaterThanOrEqual(2);
  });

  it("drops a batch after bounded retries, counts it in /metrics, and keeps serving", async () => {
    const usage = sdkServicesFor(t.deps).usage;
    const before = await metric("switchyard_batched_write_dropped_total");
    expect((await t.request("/sdk/v1/metrics", report("lost-flag", 3))).status).toBe(202);
    await breakTable();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await usage.flush();
    await mendTable();
    await usage.flush();
    expect(await stored("lost-flag")).toBe(0);
    expect(await metric("switchyard_batched_write_dropped_total")).toBe(before + 1);
    expect((await t.request("/sdk/v1/metrics", report("after-flag", 1))).status).toBe(202);
    await usage.flush();
    expect(await stored("after-flag")).toBe(1);
  });
});
