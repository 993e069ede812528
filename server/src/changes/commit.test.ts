import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../test/harness.js";
import { SYSTEM_ACTOR } from "../auth/actor.js";
import type { ChangeEvent } from "../deps.js";
import { createEnvironment } from "../environments/store.js";
import { commitChange } from "./commit.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
  await createEnvironment(t.deps, SYSTEM_ACTOR, { key: "dev", name: "Dev" });
});
afterAll(() => t.close());

const counts = async () => ({
  audit: (await t.deps.db.selectFrom("audit_log").select("id").execute()).length,
  version: (
    await t.deps.db
      .selectFrom("environments")
      .select("ruleset_version")
      .where("key", "=", "dev")
      .executeTakeFirstOrThrow()
  ).ruleset_version,
});

describe(`commitChange (${process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite"})`, () => {
  it("commits the change, its audit row and one version bump together, then publishes", async () => {
    const events: ChangeEvent[] = [];
    const off = t.deps.bus.subscribe((e) => events.push(e));
    const before = await counts();
    const { rulesetVersions, auditId } = await commitChange(
      t.deps,
      {
        actor: SYSTEM_ACTOR,
        action: "test.change",
        targetType: "test",
        targetKey: "x",
        before: null,
        after: { ok: true },
        affects: [{ environment: "dev", flags: ["f"] }],
      },
      async () => "done",
    );
    off();
    expect(await counts()).toEqual({ audit: before.audit + 1, version: before.version + 1 });
    expect(rulesetVersions).toEqual({ dev: before.version + 1 });
    const change = await t.deps.db
      .selectFrom("ruleset_changes")
      .selectAll()
      .where("version", "=", before.version + 1)
      .executeTakeFirstOrThrow();
    expect(change).toMatchObject({ environment_key: "dev", flags_changed: ["f"], audit_id: auditId });
    expect(events).toEqual([
      { type: "ruleset", environment: "dev", version: before.version + 1, flags: ["f"], segments: [] },
    ]);
  });

  it("leaves no audit row, no version bump and no event when the mutation fails midway", async () => {
    const events: ChangeEvent[] = [];
    const off = t.deps.bus.subscribe((e) => events.push(e));
    const before = await counts();
    await expect(
      commitChange(
        t.deps,
        {
          actor: SYSTEM_ACTOR,
          action: "test.fail",
          targetType: "test",
          targetKey: "x",
          before: null,
          after: null,
          affects: [{ environment: "dev" }],
        },
        async (trx) => {
          await trx.updateTable("environments").set({ name: "half-done" }).where("key", "=", "dev").execute();
          throw new Error("boom");
        },
      ),
    ).rejects.toThrow("boom");
    off();
    expect(await counts()).toEqual(before);
    const env = await t.deps.db
      .selectFrom("environments")
      .select("name")
      .where("key", "=", "dev")
      .executeTakeFirstOrThrow();
    expect(env.name).toBe("Dev");
    expect(events).toEqual([]);
  });

  it("rolls back when an affected environment does not exist", async () => {
    const before = await counts();
    await expect(
      commitChange(
        t.deps,
        {
          actor: SYSTEM_ACTOR,
          action: "test.missing",
          targetType: "test",
          targetKey: "x",
          before: null,
          after: null,
          affects: [{ environment: "dev" }, { environment: "nowhere" }],
        },
        async () => null,
      ),
    ).rejects.toThrow(/nowhere/);
    expect(await counts()).toEqual(before);
  });

  it("has migrated every table, and migrating again is a no-op", async () => {
    const { migrateToLatest } = await import("../db/migrate.js");
    expect(await migrateToLatest(t.deps.db)).toEqual([]);
    const env = await t.deps.db
      .selectFrom("environments")
      .select(["version", "ruleset_version"])
      .executeTakeFirstOrThrow();
    expect(typeof env.ruleset_version).toBe("number");
  });
});
