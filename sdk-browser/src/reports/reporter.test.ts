// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { beacon, createReporter } from "./reporter.js";

describe("reporter", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("batches counts per flag and variant into one metrics report with the key in the query", () => {
    const sent: { url: string; body: unknown }[] = [];
    const r = createReporter("https://f.example", "ck 1", "inst-1", (url, body) =>
      sent.push({ url, body: JSON.parse(body) }),
    );
    r.count("a", "on");
    r.count("a", "on");
    r.count("a", "off");
    r.count("b", undefined);
    r.flush();
    r.flush(); // nothing new: nothing sent
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe("https://f.example/sdk/v1/metrics?key=ck%201");
    expect(sent[0]!.body).toMatchObject({
      instanceId: "inst-1",
      sdk: expect.stringMatching(/^sdk-browser\//),
      evaluations: [
        { flag: "a", variant: "on", count: 2 },
        { flag: "a", variant: "off", count: 1 },
        { flag: "b", variant: null, count: 1 },
      ],
    });
  });

  it("bounds distinct pairs and reports the overflow as dropped", () => {
    const sent: { evaluations: unknown[]; dropped?: number }[] = [];
    const r = createReporter("u", "k", "i", (_url, body) => sent.push(JSON.parse(body)));
    for (let i = 0; i < 510; i++) r.count(`f${i}`, "on");
    r.flush();
    expect(sent[0]!.evaluations).toHaveLength(500);
    expect(sent[0]!.dropped).toBe(10);
  });

  it("acks an applied version at once", () => {
    const sent: { url: string; body: { acks: { version: number }[] } }[] = [];
    const r = createReporter("u", "k", "i", (url, body) => sent.push({ url, body: JSON.parse(body) }));
    r.ack(7);
    expect(sent[0]!.url).toBe("u/sdk/v1/ack?key=k");
    expect(sent[0]!.body.acks[0]!.version).toBe(7);
  });

  it("sends with sendBeacon, falling back to fetch keepalive when the beacon is refused", () => {
    const sendBeacon = vi.fn(() => false);
    const fetch = vi.fn(async () => new Response(null, { status: 202 }));
    vi.stubGlobal("navigator", { sendBeacon });
    vi.stubGlobal("fetch", fetch);
    beacon("https://f/x", "{}");
    expect(sendBeacon).toHaveBeenCalledWith("https://f/x", "{}");
    expect(fetch).toHaveBeenCalledWith("https://f/x", { method: "POST", body: "{}", keepalive: true });
    sendBeacon.mockReturnValue(true);
    beacon("https://f/y", "{}");
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
