import { createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying a webhook's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "${t}.${body}">`. */
export const SIGNATURE_HEADER = "X-Switchyard-Signature";

export function signWebhook(secret: string, body: string, nowSec = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac("sha256", secret).update(`${nowSec}.${body}`).digest("hex");
  return `t=${nowSec},v1=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * For receivers: checks the header against the raw body. The timestamp must be within toleranceSec of now,
 * so a captured delivery cannot be replayed later.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  toleranceSec = 300,
  nowSec = Math.floor(Date.now() / 1000),
): SignatureCheck {
  if (!header) return { ok: false, reason: "missing signature header" };
  let ts: number | undefined;
  const macs: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d+$/.test(value)) ts = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/.test(value)) macs.push(value);
  }
  if (ts === undefined) return { ok: false, reason: "signature header has no timestamp" };
  if (macs.length === 0) return { ok: false, reason: "signature header has no v1 signature" };
  if (Math.abs(nowSec - ts) > toleranceSec)
    return { ok: false, reason: "signature timestamp outside tolerance" };
  const expected = Buffer.from(createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex"), "hex");
  for (const mac of macs) {
    if (timingSafeEqual(expected, Buffer.from(mac, "hex"))) return { ok: true };
  }
  return { ok: false, reason: "signature does not match" };
}
