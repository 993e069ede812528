import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { MAX_SEGMENT_KEYS } from "./keys.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

const base = "/api/v1/environments/staging/segments";

describe("segments", () => {
  it("creates from pasted JSON keys, de-duplicated", async () => {
    const res = await t.request(
      base,
      json("POST", { key: "beta", name: "Beta", included: ["a", " b ", "a", ""] }, t.auth()),
    );
    expect(res.status).toBe(201);
    expect((await read(res)).segment.included).toEqual(["a", "b"]);
    const one = await read(await t.request(`${base}/beta`, { headers: t.auth() }));
    expect(one).toMatchObject({ key: "beta", included: ["a", "b"], includedCount: 2, version: 1 });
    const patched = await t.request(`${base}/beta`, json("PATCH", { excluded: ["c"], version: 1 }, t.auth()));
    expect((await read(patched)).segment).toMatchObject({ excluded: ["c"], version: 2 });
    const put = await t.request(
      `${base}/beta`,
      json("PUT", { name: "Beta", included: ["a", "b"], version: 2 }, t.auth()),
    );
    expect((await read(put)).segment).toMatchObject({ excluded: [], rules: [], version: 3 });
    const json2 = await t.request(
      `${base}/beta/excluded`,
      json("PUT", { keys: ["z"], version: 3 }, t.auth()),
    );
    expect((await read(json2)).segment).toMatchObject({ excluded: ["z"], version: 4 });
  });

  it("takes 100,000 keys as a CSV upload and refuses one more", async () => {
    const keys = Array.from({ length: MAX_SEGMENT_KEYS }, (_, i) => `user-${i}`);
    const upload = await t.request(`${base}/beta/included`, {
      method: "PUT",
      headers: { ...t.auth(), "content-type": "text/csv", "if-match": '"4"' },
      body: `key\n${keys.join("\n")}\nuser-1\n`,
    });
    expect(upload.status).toBe(200);
    const written = await read(upload);
    expect(written.segment.includedCount).toBe(MAX_SEGMENT_KEYS);
    const tooMany = await t.request(`${base}/beta/included`, {
      method: "PUT",
      headers: { ...t.auth(), "content-type": "text/plain", "if-match": '"5"' },
      body: [...keys, "one-more"].join("\n"),
    });
    expect(tooMany.status).toBe(413);
    expect((await read(tooMany)).detail).toContain("100,000");
  });

  it("lists counts, not keys, and refuses to delete a segment a flag uses", async () => {
    const list = await read(await t.request(base, { headers: t.auth() }));
    expect(list.segments.find((s: { key: string }) => s.key === "beta")).not.toHaveProperty("included");
    const inUse = await t.request(`${base}/pilot-users`, {
      method: "DELETE",
      headers: { ...t.auth(), "if-match": '"1"' },
    });
    expect(inUse.status).toBe(409);
    const gone = await t.request(`${base}/beta`, {
      method: "DELETE",
      headers: { ...t.auth(), "if-match": '"5"' },
    });
    expect(gone.status).toBe(200);
  });
});

describe("segments that name each other", () => {
  const matches = (segment: string) => [
    { id: `in-${segment}`, clauses: [{ attribute: "key", op: "segmentMatch", values: [segment] }] },
  ];

  it("refuses a rule that closes a cycle, naming the rules, and keeps what was there", async () => {
    const a = await t.request(base, json("POST", { key: "ring-a", name: "Ring A" }, t.auth()));
    expect(a.status).toBe(201);
    const b = await t.request(
      base,
      json("POST", { key: "ring-b", name: "Ring B", rules: matches("ring-a") }, t.auth()),
    );
    expect(b.status).toBe(201);
    const closing = await t.request(
      `${base}/ring-a`,
      json("PATCH", { rules: matches("ring-b"), version: 1 }, t.auth()),
    );
    expect(closing.status).toBe(400);
    expect(closing.headers.get("content-type")).toContain("application/problem+json");
    const problem = await read(closing);
    expect(problem.errors).toEqual([{ path: "rules", message: expect.stringContaining("match itself") }]);
    const kept = await read(await t.request(`${base}/ring-a`, { headers: t.auth() }));
    expect(kept).toMatchObject({ rules: [], version: 1 });
    const self = await t.request(
      base,
      json("POST", { key: "selfish", name: "Self", rules: matches("selfish") }, t.auth()),
    );
    expect(self.status).toBe(400);
    expect((await t.request(`${base}/selfish`, { headers: t.auth() })).status).toBe(404);
  });
});
