import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "./signature.js";

const body = JSON.stringify({ text: "flag checkout killed by guard", flag: "checkout" });

describe("webhook signatures", () => {
  it("accepts what it signed", () => {
    const header = signWebhook("s3cret", body, 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature("s3cret", header, body, 300, 1_700_000_100)).toEqual({ ok: true });
  });

  it("rejects a changed body, a wrong secret, a stale timestamp and malformed headers", () => {
    const header = signWebhook("s3cret", body, 1_700_000_000);
    const at = 1_700_000_010;
    expect(verifyWebhookSignature("s3cret", header, `${body} `, 300, at)).toEqual({
      ok: false,
      reason: "signature does not match",
    });
    expect(verifyWebhookSignature("other", header, body, 300, at).ok).toBe(false);
    expect(verifyWebhookSignature("s3cret", header, body, 300, 1_700_000_400)).toEqual({
      ok: false,
      reason: "signature timestamp outside tolerance",
    });
    expect(verifyWebhookSignature("s3cret", undefined, body, 300, at).ok).toBe(false);
    expect(verifyWebhookSignature("s3cret", "v1=abc", body, 300, at).ok).toBe(false);
    expect(verifyWebhookSignature("s3cret", "t=1700000000", body, 300, at).ok).toBe(false);
  });

  it("accepts any one matching v1 so secrets can be rotated", () => {
    const good = signWebhook("new", body, 1_700_000_000).split(",")[1];
    const header = `t=1700000000,v1=${"0".repeat(64)},${good}`;
    expect(verifyWebhookSignature("new", header, body, 300, 1_700_000_000)).toEqual({ ok: true });
  });
});
