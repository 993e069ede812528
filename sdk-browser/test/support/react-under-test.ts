/** Which React a test run renders with: each vitest project names its major version (see vitest.config.ts). */
import { version as react } from "react";
import { version as reactDom } from "react-dom";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    reactMajor: number;
  }
}

export const reactUnderTest = () => ({
  expected: inject("reactMajor"),
  react: Number(react.split(".")[0]),
  reactDom: Number(reactDom.split(".")[0]),
});
