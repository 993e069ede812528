import { describe, expect, it } from "vitest";
import { eventStreamUrl, fromOfrep } from "./ofrep.js";

describe("OFREP bulk answer", () => {
  it("reads flags and errors, dropping elements without a string key", () => {
    expect(
      fromOfrep({
        flags: [
          { key: "a", value: 1, variant: "one", reason: "STATIC" },
          { key: "b", errorCode: "PARSE_ERROR" },
          { key: 3, value: true },
          null,
        ],
      }),
    ).toEqual({
      a: { value: 1, variant: "one", reason: "STATIC" },
      b: { value: null, reason: "ERROR", errorCode: "PARSE_ERROR" },
    });
    expect(fromOfrep({ flags: "no" })).toBeUndefined();
  });

  it("finds the SSE event stream: requestUri on the base URL's origin, an explicit origin, or a url", () => {
    const sse = (entry: object) => ({ flags: [], eventStreams: [{ type: "sse", ...entry }] });
    expect(
      eventStreamUrl(sse({ endpoint: { requestUri: "/ofrep/v1/stream?key=k" } }), "https://f.test/x"),
    ).toBe("https://f.test/ofrep/v1/stream?key=k");
    expect(
      eventStreamUrl(
        sse({ endpoint: { origin: "https://sse.test", requestUri: "/s?c=1" } }),
        "https://f.test",
      ),
    ).toBe("https://sse.test/s?c=1");
    expect(eventStreamUrl(sse({ url: "https://sse.test/s?c=2" }), "https://f.test")).toBe(
      "https://sse.test/s?c=2",
    );
  });

  it("ignores unknown stream types and unusable entries, and has none when the server offers none", () => {
    const base = "https://f.test";
    expect(
      eventStreamUrl(
        {
          eventStreams: [
            { type: "websocket", url: "wss://ws.test" },
            { type: "sse", endpoint: { requestUri: "no-leading-slash" } },
            { type: "sse", url: "not a url" },
            { type: "sse", endpoint: { requestUri: "/third" } },
          ],
        },
        base,
      ),
    ).toBe("https://f.test/third");
    expect(eventStreamUrl({ flags: [] }, base)).toBeUndefined();
    expect(eventStreamUrl({ eventStreams: {} }, base)).toBeUndefined();
    expect(eventStreamUrl(null, base)).toBeUndefined();
  });
});
