import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("fills defaults from an empty environment", () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 4000,
      SWITCHYARD_DATA_DIR: "./.switchyard",
      LOG_LEVEL: "info",
    });
  });

  it("names every bad variable and its value", () => {
    expect(() => loadConfig({ PORT: "eighty", LOG_LEVEL: "loud", DATABASE_URL: "mysql://x" })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ PORT: "eighty", LOG_LEVEL: "loud", DATABASE_URL: "mysql://x" });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT="eighty"');
      expect(message).toContain('LOG_LEVEL="loud"');
      expect(message).toContain("DATABASE_URL");
    }
  });

  it("treats empty strings as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", PORT: "" }).DATABASE_URL).toBeUndefined();
  });
});
