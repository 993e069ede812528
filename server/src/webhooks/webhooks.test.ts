import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { commitChange } from "../changes/commit.js";
import { runDueSchedules } from "../schedules/run.js";
import { matchesEvent } from "./outbox.js";
import { verifyWebhookSignature } from "./signature.js";
import { BACKOFF_MS, WebhookWorker } from "./worker.js";

/** A receiver on loopback: answers with the queued statuses (then 200), keeps what it got. */
let receiver: Server;
let receiverUrl = "";
const got: { body: string; signature: string | undefined }[] = [];
const answers: number[] = [];
beforeAll(async () => {
  receiver = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      got.push({ body, signature: req.headers["x-switchyard-signature"] as string | undefined });
      res.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(() => {
  receiver.closeAllConnections();
  receiver.close();
});

let t: TestServer;
let clock = new Date("2026-11-25T10:00:00Z");
let worker: WebhookWorker;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
  worker = new WebhookWorker({ ...t.deps, now: () => clock }, { random: () => 0.5 });
});
afterAll(() => t.close());

async function createHook(body: Record<string, unknown>) {
  const res = await t.request(
    "/api/v1/webhooks",
    json("POST", { name: "ops", url: receiverUrl, ...body }, t.auth()),
  );
  return { status: res.status, body: await read(res) };
}
const kill = (flag: string, env = "production") =>
  t.request(
    `/api/v1/environments/${env}/flags/${flag}/kill`,
    json("POST", { reason: "errors spiking" }, t.auth()),
  );
const deliveries = async (id: number) =>
  (await read(await t.request(`/api/v1/webhooks/${id}/deliveries`, { headers: t.auth() }))).deliveries;

describe("event patterns", () => {
  it("match exactly, by prefix or everything", () => {
    expect(matchesEvent(["flag.*"], "flag.kill")).toBe(true);
    expect(matchesEvent(["flag.*"], "flag_state.update")).toBe(false);
    expect(matchesEvent(["guard.trip"], "guard.trip")).toBe(true);
    expect(matchesEvent(["*"], "promotion.apply")).toBe(true);
  });
});

describe("webhooks", () => {
  let hookId: number;
  let secret: string;

  it("refuses bad input with problem details naming the field, and non-admins", async () => {
    const bad = await createHook({ url: "ftp://example.com", events: ["flag.*"] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("url");
    const badEvent = await createHook({ events: ["Flag Kill!"] });
    expect(badEvent.status).toBe(400);
    expect(JSON.stringify(badEvent.body)).toContain("events");
    const editor = await t.createKey("admin", "editor");
    const forbidden = await t.request("/api/v1/webhooks", { headers: t.auth(editor) });
    expect(forbidden.status).toBe(403);
  });

  it("a kill is delivered signed, with a sentence chat tools show; the secret is shown once", async () => {
    const created = await createHook({ events: ["flag.kill", "guard.trip"], environment: "production" });
    expect(created.status).toBe(201);
    hookId = created.body.id;
    secret = created.body.secret;
    expect(secret).toMatch(/^whsec_/);
    const listed = await read(await t.request("/api/v1/webhooks", { headers: t.auth() }));
    expect(JSON.stringify(listed)).not.toContain(secret);

    expect((await kill("new-checkout")).status).toBe(200);
    expect(await worker.runOnce()).toBe(1);
    expect(got).toHaveLength(1);
    const delivery = got[0] as { body: string; signature: string };
    const nowSec = Math.floor(clock.getTime() / 1000);
    expect(verifyWebhookSignature(secret, delivery.signature, delivery.body, 300, nowSec)).toEqual({
      ok: true,
    });
    expect(verifyWebhookSignature("whsec_wrong", delivery.signature, delivery.body, 300, nowSec).ok).toBe(
      false,
    );
    const payload = JSON.parse(delivery.body);
    expect(payload).toMatchObject({
      event: "flag.kill",
      environment: "production",
      flag: "new-checkout",
      reason: "errors spiking",
    });
    expect(payload.text).toMatch(/killed new-checkout in production: errors spiking/);
    expect((await deliveries(hookId))[0]).toMatchObject({
      status: "delivered",
      attempts: [{ status: 200, error: null }],
    });
  });

  it("filters by event and environment", async () => {
    got.length = 0;
    await kill("banner-text", "staging"); // another environment
    await t.request(
      "/api/v1/environments/production/flags/banner-text",
      json("PATCH", { on: true }, { ...t.auth(), "if-match": "*" }),
    );
    expect(await worker.runOnce()).toBe(0);
    expect(got).toHaveLength(0);
  });

  it("retries a failing receiver with backoff and logs every attempt", async () => {
    got.length = 0;
    answers.push(500, 503);
    await kill("banner-text");
    expect(await worker.runOnce()).toBe(1);
    let [latest] = await deliveries(hookId);
    expect(latest).toMatchObject({ status: "pending", attempts: [{ status: 500, error: "HTTP 500" }] });
    expect(Date.parse(latest.nextAttemptAt) - clock.getTime()).toBe(BACKOFF_MS[0]);

    expect(await worker.runOnce()).toBe(0); // not due yet
    clock = new Date(clock.getTime() + (BACKOFF_MS[0] as number));
    expect(await worker.runOnce()).toBe(1);
    [latest] = await deliveries(hookId);
    expect(latest.attempts).toHaveLength(2);
    expect(Date.parse(latest.nextAttemptAt) - clock.getTime()).toBe(BACKOFF_MS[1]);

    clock = new Date(clock.getTime() + (BACKOFF_MS[1] as number));
    expect(await worker.runOnce()).toBe(1);
    [latest] = await deliveries(hookId);
    expect(latest).toMatchObject({ status: "delivered" });
    expect(latest.attempts.map((a: { status: number }) => a.status)).toEqual([500, 503, 200]);
    expect(got).toHaveLength(3);
  });

  it("gives up after the last retry and marks the delivery failed", async () => {
    const unreachable = await createHook({
      name: "gone",
      url: "http://127.0.0.1:9/hook",
      events: ["flag.kill"],
    });
    await kill("max-items");
    for (let i = 0; i <= BACKOFF_MS.length; i++) {
      await worker.runOnce();
      clock = new Date(clock.getTime() + 3_600_000 * 2);
    }
    const [latest] = await deliveries(unreachable.body.id);
    expect(latest.status).toBe("failed");
    expect(latest.attempts).toHaveLength(BACKOFF_MS.length + 1);
    await t.request(`/api/v1/webhooks/${unreachable.body.id}`, { method: "DELETE", headers: t.auth() });
  });

  it("queues nothing when the change's transaction rolls back", async () => {
    const before = await t.deps.db
      .selectFrom("webhook_deliveries")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    await expect(
      commitChange(
        t.deps,
        {
          actor: { type: "system", id: null, name: "test", role: "admin" },
          action: "flag.kill",
          targetType: "flag_state",
          targetKey: "new-checkout",
          environment: "production",
          flag: "new-checkout",
          before: null,
          after: null,
          affects: [],
        },
        async () => {
          throw new Error("validation failed");
        },
      ),
    ).rejects.toThrow("validation failed");
    const after = await t.deps.db
      .selectFrom("webhook_deliveries")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it("sends Slack-shaped bodies and a test ping on request", async () => {
    got.length = 0;
    const slack = await createHook({ name: "chat", events: ["*"], format: "slack" });
    expect(
      (await t.request(`/api/v1/webhooks/${slack.body.id}/test`, { method: "POST", headers: t.auth() }))
        .status,
    ).toBe(202);
    await worker.runOnce();
    const bodies = got.map((g) => JSON.parse(g.body));
    const body = bodies.find((b) => /test ping/.test(b.text));
    expect(body).toBeDefined();
    expect(body.blocks[0].text.type).toBe("mrkdwn");
  });
});

describe("webhooks of the release flow", () => {
  const events = async (id: number) =>
    (await deliveries(id)).map((d: { event: string }) => d.event).reverse() as string[];
  const payloads = async (id: number) =>
    (
      await t.deps.db
        .selectFrom("webhook_deliveries")
        .select("payload")
        .where("webhook_id", "=", id)
        .orderBy("id")
        .execute()
    ).map((d) => d.payload as { event: string; text: string; environments: string[] });

  /** Previews the selection as `secret`, then promotes exactly that preview. */
  const askToPromote = async (selection: object, secret: string, extra: object = {}) => {
    const preview = await read(
      await t.request("/api/v1/promotions/preview", json("POST", selection, t.auth(secret))),
    );
    const body = { ...selection, ...extra, expectedPreview: preview.hash };
    return read(await t.request("/api/v1/promotions", json("POST", body, t.auth(secret))));
  };
  /** Sends what is queued; what the hook got, as event names and chat texts, oldest first. */
  const delivered = async (id: number) => {
    await worker.runOnce();
    return { events: await events(id), texts: (await payloads(id)).map((p) => p.text) };
  };

  it("tells each environment's hooks, once each, of a promotion to several environments", async () => {
    const dev = await createHook({ name: "dev", events: ["promotion.*"], environment: "development" });
    const prod = await createHook({ name: "prod", events: ["promotion.*"], environment: "production" });
    const selection = { from: "staging", to: ["production", "development"], tag: "checkout" };
    const preview = await read(
      await t.request("/api/v1/promotions/preview", json("POST", selection, t.auth())),
    );
    const applied = await t.request(
      "/api/v1/promotions",
      json("POST", { ...selection, expectedPreview: preview.hash }, t.auth()),
    );
    expect(applied.status).toBe(201);
    await worker.runOnce();
    for (const hook of [dev, prod]) {
      expect(await events(hook.body.id)).toEqual(["promotion.apply"]);
      const [payload] = await payloads(hook.body.id);
      expect(payload?.environments).toEqual(["production", "development"]);
      expect(payload?.text).toMatch(
        /promoted new-checkout from staging to production and development \(promotion #\d+\)/,
      );
    }
  });

  it("announces approvals: the request, then its approval applying it", async () => {
    const hook = await createHook({ name: "approvals", events: ["promotion.*"], environment: "staging" });
    const release = await createHook({ name: "release", events: ["promotion.*"], environment: "production" });
    const ana = await t.createKey("admin", "editor");
    const bo = await t.createKey("admin", "editor");
    const state = await read(
      await t.request("/api/v1/environments/staging/flags/max-items", { headers: t.auth() }),
    );
    await t.request(
      "/api/v1/environments/staging/flags/max-items",
      json("PATCH", { version: state.version, fallthrough: { variation: "large" } }, t.auth()),
    );
    const selection = { from: "staging", to: ["production"], flags: ["max-items"] };
    const pending = await askToPromote(selection, ana, { gate: { type: "approval" } });
    const approved = await t.request(
      `/api/v1/promotions/${pending.id}/approve`,
      json("POST", { comment: "ship it" }, t.auth(bo)),
    );
    expect(approved.status).toBe(200);
    await worker.runOnce();
    expect(await events(release.body.id)).toEqual(["promotion.request", "promotion.apply"]);
    expect(await events(hook.body.id)).toEqual([]); // the source is not a target
    const [asked, done] = await payloads(release.body.id);
    expect(asked?.text).toMatch(
      /asked to promote max-items from staging to production .*waiting for an approval/,
    );
    expect(done?.text).toMatch(
      /promoted max-items from staging to production \(promotion #\d+\): .*fallthrough: medium → large: ship it$/,
    );
  });

  it("announces freezes and scheduled steps", async () => {
    const hook = await createHook({
      name: "ops",
      events: ["freeze.*", "schedule.*"],
      environment: "production",
    });
    const until = new Date(Date.now() + 3_600_000);
    await t.request(
      "/api/v1/environments/production/freeze",
      json("PUT", { reason: "Black Friday", until: until.toISOString() }, t.auth()),
    );
    await t.request("/api/v1/environments/production/freeze", { method: "DELETE", headers: t.auth() });
    const stepAt = new Date(Date.now() + 60_000);
    const created = await t.request(
      "/api/v1/environments/production/flags/banner-text/schedules",
      json("POST", { steps: [{ at: stepAt.toISOString(), action: "on" }] }, t.auth()),
    );
    expect(created.status).toBe(201);
    const schedule = await read(created);
    expect(
      await runDueSchedules({ ...t.deps, now: () => new Date(stepAt.getTime() + 1000) }, async () => false),
    ).toBe(1);
    await worker.runOnce();
    expect(await events(hook.body.id)).toEqual([
      "freeze.start",
      "freeze.end",
      "schedule.create",
      "schedule.step",
    ]);
    const texts = (await payloads(hook.body.id)).map((p) => p.text);
    expect(texts[0]).toMatch(/froze production until .*: Black Friday/);
    expect(texts[1]).toMatch(/lifted the freeze on production/);
    expect(texts[3]).toBe(
      `schedule #${schedule.id} turned on banner-text in production: Scheduled step 1 of 1: turn on`,
    );
  });

  it("announces change requests as they are filed, approved and rejected, and a promotion's rejection", async () => {
    const env = await t.request(
      "/api/v1/environments",
      json("POST", { key: "gated", name: "Gated", requiresApproval: true }, t.auth()),
    );
    expect(env.status).toBe(201);
    const hook = await createHook({
      name: "approvers",
      events: ["change-request.*", "promotion.*"],
      environment: "gated",
    });
    const ana = await t.createKey("admin", "editor");
    const bo = await t.createKey("admin", "editor");
    const ask = async (flag: string) => {
      const res = await t.request(
        `/api/v1/environments/gated/flags/${flag}`,
        json("PATCH", { on: true, reason: "for the launch" }, { ...t.auth(ana), "if-match": "*" }),
      );
      expect(res.status).toBe(202);
      return (await read(res)).changeRequest.id as number;
    };
    const decide = async (id: number, verdict: string, comment: string) =>
      expect(
        (await t.request(`/api/v1/change-requests/${id}/${verdict}`, json("POST", { comment }, t.auth(bo))))
          .status,
      ).toBe(200);
    const approved = await ask("new-checkout");
    await decide(approved, "approve", "ship it");
    const rejected = await ask("banner-text");
    await decide(rejected, "reject", "not this week");

    const selection = { from: "staging", to: ["gated"], flags: ["max-items"] };
    const promotion = await askToPromote(selection, ana);
    expect(promotion.status).toBe("pending");
    const refused = await t.request(
      `/api/v1/promotions/${promotion.id}/reject`,
      json("POST", { comment: "wait for QA" }, t.auth(bo)),
    );
    expect(refused.status).toBe(200);

    const { events: got, texts } = await delivered(hook.body.id);
    expect(got).toEqual([
      "change-request.create",
      "change-request.approve",
      "change-request.create",
      "change-request.reject",
      "promotion.request",
      "promotion.reject",
    ]);
    expect(texts[0]).toMatch(
      new RegExp(
        `asked to change new-checkout in gated \\(change request #${approved}\\).*: for the launch$`,
      ),
    );
    expect(texts[1]).toMatch(
      new RegExp(`approved .*change request #${approved} for new-checkout in gated: ship it$`),
    );
    expect(texts[3]).toMatch(
      new RegExp(`rejected .*change request #${rejected} for banner-text in gated: not this week$`),
    );
    expect(texts[4]).toMatch(/asked to promote max-items from staging to gated .*waiting for an approval/);
    expect(texts[5]).toMatch(
      new RegExp(
        `rejected the promotion of max-items from staging to gated \\(promotion #${promotion.id}\\): wait for QA$`,
      ),
    );
  });

  it("announces a schedule pausing for a freeze and resuming when it lifts", async () => {
    const hook = await createHook({ name: "schedules", events: ["schedule.*"], environment: "staging" });
    const stepAt = new Date(Date.now() + 60_000);
    const later = () => new Date(stepAt.getTime() + 1000);
    const created = await read(
      await t.request(
        "/api/v1/environments/staging/flags/banner-text/schedules",
        json("POST", { steps: [{ at: stepAt.toISOString(), action: "off" }] }, t.auth()),
      ),
    );
    const freeze = "/api/v1/environments/staging/freeze";
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect((await t.request(freeze, json("PUT", { reason: "release", until }, t.auth()))).status).toBe(200);
    expect(await runDueSchedules({ ...t.deps, now: later }, async () => false)).toBe(0);
    await t.request(freeze, { method: "DELETE", headers: t.auth() });
    expect(await runDueSchedules({ ...t.deps, now: later }, async () => false)).toBe(1);

    const { events: got, texts } = await delivered(hook.body.id);
    expect(got).toEqual(["schedule.create", "schedule.pause", "schedule.resume", "schedule.step"]);
    expect(texts[1]).toBe(
      `schedule #${created.id} paused for banner-text in staging: staging is frozen until ${until} (release)`,
    );
    expect(texts[2]).toBe(`schedule #${created.id} resumed for banner-text in staging: the block cleared`);
  });
});
