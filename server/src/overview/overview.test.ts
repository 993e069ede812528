import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import type { Overview } from "./overview.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
}, 120_000);
afterAll(() => t.close());

const get = (headers: Record<string, string> = {}) =>
  t.request("/api/v1/overview", { headers: { ...t.auth(), ...headers } });
const overview = async (): Promise<Overview> => read(await get());
const flagIn = (o: Overview, key: string) => {
  const flag = o.flags.find((f) => f.key === key);
  if (!flag) throw new Error(`${key} is not in the overview`);
  return flag;
};
const cellAt = (o: Overview, index: number | null | undefined) =>
  index === null || index === undefined ? undefined : o.cells[index];
const cellIn = (o: Overview, key: string, env: string) =>
  cellAt(o, flagIn(o, key).cells[o.environments.indexOf(env)]);

describe("GET /api/v1/overview", () => {
  it("lists every flag's metadata and what it serves in each environment, in release order", async () => {
    const o = await overview();
    expect(o.environments).toEqual(["development", "staging", "production"]);
    expect(flagIn(o, "new-checkout")).toMatchObject({
      name: "New checkout",
      tags: ["checkout", "payments"],
      temporary: true,
    });
    expect(cellIn(o, "new-checkout", "development")).toMatchObject({ on: true, tone: "on", text: "100% on" });
    expect(cellIn(o, "new-checkout", "staging")).toMatchObject({
      on: true,
      tone: "partial",
      text: "pilot: pilot-users · 20% rollout",
      segments: ["pilot-users"],
    });
    expect(cellIn(o, "new-checkout", "production")?.detail).toBe(
      "On for segments pilot-users; everyone else gets false.",
    );
    // Compact: no targeting rules, variations or salts travel, and equal cells travel once.
    expect(JSON.stringify(o)).not.toContain('rollout":');
    const serialised = o.cells.map((c) => JSON.stringify(c));
    expect(new Set(serialised).size).toBe(serialised.length);
    const maxItems = flagIn(o, "max-items").cells;
    expect(maxItems).toEqual([maxItems[0], maxItems[0], maxItems[0]]);
  });

  it("gives equal fingerprints to equal setups, as the promotion pipeline does", async () => {
    const o = await overview();
    const setups = (key: string) => flagIn(o, key).cells.map((i) => cellAt(o, i)?.setup);
    const [dev, staging, production] = setups("max-items");
    expect(dev).toBe(staging);
    expect(staging).toBe(production);
    expect(new Set(setups("new-checkout")).size).toBe(3);

    const pipeline = await read(await t.request("/api/v1/promotions/pipeline", { headers: t.auth() }));
    const journey = pipeline.flags.find((f: { flag: string }) => f.flag === "new-checkout");
    expect(journey.environments.map((e: { fingerprint: string }) => e.fingerprint)).toEqual(
      setups("new-checkout"),
    );
  });

  it("answers 304 to the ETag it gave until something changes, then shows the change at once", async () => {
    const first = await get();
    const etag = first.headers.get("etag") as string;
    expect(etag).toMatch(/^W\/"ov-/);
    expect(first.headers.get("cache-control")).toBe("private, no-cache");
    const again = await get({ "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");

    const state = await read(
      await t.request("/api/v1/environments/development/flags/max-items", { headers: t.auth() }),
    );
    const write = await t.request(
      "/api/v1/environments/development/flags/max-items",
      json("PATCH", { fallthrough: { variation: "large" }, version: state.version }, t.auth()),
    );
    expect(write.status).toBe(200);
    const changed = await get({ "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    const o: Overview = await read(changed);
    expect(cellIn(o, "max-items", "development")?.text).toBe("100% 50");
    expect(cellIn(o, "max-items", "development")?.setup).not.toBe(cellIn(o, "max-items", "staging")?.setup);
  });

  it("moves its ETag when only a flag's metadata changes, and leaves archived flags out", async () => {
    const before = await get();
    const etag = before.headers.get("etag") as string;
    const flag = await read(await t.request("/api/v1/flags/theme-config", { headers: t.auth() }));
    await t.request(
      "/api/v1/flags/theme-config",
      json("PATCH", { tags: ["ui", "design"], version: flag.version }, t.auth()),
    );
    const tagged = await get({ "if-none-match": etag });
    expect(tagged.status).toBe(200);
    expect(flagIn(await read(tagged), "theme-config").tags).toEqual(["ui", "design"]);

    await t.request("/api/v1/flags/theme-config/archive", {
      method: "POST",
      headers: { ...t.auth(), "if-match": `"${flag.version + 1}"` },
    });
    const o = await overview();
    expect(o.flags.map((f) => f.key)).not.toContain("theme-config");
    expect(o.flags.map((f) => f.key)).toContain("new-checkout");
  });

  it("sends the prebuilt gzip to clients that accept it", async () => {
    const plain = await get();
    const zipped = await get({ "accept-encoding": "gzip, deflate, br" });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    expect(zipped.headers.get("vary")).toContain("Accept-Encoding");
    const bytes = new Uint8Array(await zipped.arrayBuffer());
    expect(JSON.parse(gunzipSync(bytes).toString("utf8"))).toEqual(await plain.json());
  });

  it("is documented in the OpenAPI document with its 304", async () => {
    const spec = await read(await t.request("/api/openapi.json"));
    expect(Object.keys(spec.paths["/api/v1/overview"].get.responses)).toEqual(
      expect.arrayContaining(["200", "304", "401"]),
    );
  });

  it("is readable by viewers and refused without credentials", async () => {
    const viewer = await t.createKey("admin", "viewer");
    expect((await t.request("/api/v1/overview", { headers: t.auth(viewer) })).status).toBe(200);
    const anonymous = await t.request("/api/v1/overview");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("compression of the admin API", () => {
  it("gzips JSON answers for clients that ask, and leaves the others alone", async () => {
    const zipped = await t.request("/api/v1/flags", {
      headers: { ...t.auth(), "accept-encoding": "gzip" },
    });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    const body = JSON.parse(
      gunzipSync(new Uint8Array(await zipped.arrayBuffer())).toString("utf8"),
    ) as Overview;
    expect(body.flags.length).toBeGreaterThan(0);

    const plain = await t.request("/api/v1/flags", { headers: t.auth() });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect((await read(plain)).flags).toEqual(body.flags);
  });

  it("gzips problem details too", async () => {
    const res = await t.request("/api/v1/flags", {
      method: "POST",
      headers: { ...t.auth(), "content-type": "application/json", "accept-encoding": "gzip" },
      body: JSON.stringify({ key: "x".repeat(2_000), name: "y".repeat(2_000), kind: "boolean" }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = JSON.parse(gunzipSync(new Uint8Array(await res.arrayBuffer())).toString("utf8"));
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain("key");
  });
});

describe("GET /api/v1/overview/kills", () => {
  it("lists kills and incidents newest first, with the flags and the ruleset version each produced", async () => {
    const kill = await read(
      await t.request(
        "/api/v1/environments/production/flags/new-checkout/kill",
        json("POST", { reason: "errors spiking" }, t.auth()),
      ),
    );
    const incident = await read(
      await t.request(
        "/api/v1/environments/staging/incident",
        json("POST", { tag: "checkout", reason: "payments outage" }, t.auth()),
      ),
    );
    const { kills } = await read(await t.request("/api/v1/overview/kills", { headers: t.auth() }));
    expect(kills.slice(0, 2)).toMatchObject([
      {
        action: "incident.declare",
        environment: "staging",
        tag: "checkout",
        flags: ["new-checkout"],
        reason: "payments outage",
        rulesetVersion: incident.rulesetVersions.staging,
      },
      {
        action: "flag.kill",
        environment: "production",
        tag: null,
        flags: ["new-checkout"],
        reason: "errors spiking",
        rulesetVersion: kill.rulesetVersions.production,
      },
    ]);
  });

  it("pages with nextBefore, and names a bad cursor", async () => {
    const first = await read(await t.request("/api/v1/overview/kills?limit=1", { headers: t.auth() }));
    expect(first.kills).toHaveLength(1);
    expect(first.nextBefore).toBe(first.kills[0].id);
    const second = await read(
      await t.request(`/api/v1/overview/kills?limit=1&before=${first.nextBefore}`, { headers: t.auth() }),
    );
    expect(second.kills[0].id).toBeLessThan(first.kills[0].id);
    expect(second.nextBefore).toBeNull();
    const bad = await t.request("/api/v1/overview/kills?before=soon", { headers: t.auth() });
    expect(bad.status).toBe(400);
    expect((await read(bad)).errors[0].path).toBe("before");
  });
});
