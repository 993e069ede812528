/**
 * @module Flags as code: an environment's flags (definitions and that environment's state) and the
 * segments they use, as one deterministic document — sorted keys, stable order, `version: 1` — so it diffs
 * cleanly in git. JSON or YAML; the server reads the same format at start-up.
 */
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

export interface FlagDocumentEntry {
  key: string;
  name: string;
  description: string;
  kind: "boolean" | "string" | "number" | "json";
  variations: { key: string; value: unknown; name?: string; description?: string }[];
  tags: string[];
  owner: string | null;
  temporary: boolean;
  clientVisible: boolean;
  state: {
    on: boolean;
    offVariation: string;
    targets: unknown[];
    rules: unknown[];
    fallthrough: unknown;
    prerequisites: unknown[];
    shadow: unknown;
  };
}

export interface SegmentDocumentEntry {
  key: string;
  name: string;
  description: string;
  included: string[];
  excluded: string[];
  rules: unknown[];
}

export interface FlagsDocument {
  version: 1;
  environment: string;
  flags: FlagDocumentEntry[];
  segments: SegmentDocumentEntry[];
}

/** Objects with their keys sorted, recursively; arrays keep their order (it means something). */
export function canonical<T>(value: T): T {
  if (Array.isArray(value)) return value.map(canonical) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    ) as T;
  }
  return value;
}

export function serialize(doc: FlagsDocument, format: "json" | "yaml"): string {
  const ordered = canonical({
    ...doc,
    flags: [...doc.flags].sort((a, b) => a.key.localeCompare(b.key)),
    segments: [...doc.segments].sort((a, b) => a.key.localeCompare(b.key)),
  });
  return format === "json"
    ? `${JSON.stringify(ordered, null, 2)}\n`
    : stringifyYaml(ordered, { sortMapEntries: true });
}

export function parseDocument(text: string): FlagsDocument {
  const trimmed = text.trimStart();
  const doc = (trimmed.startsWith("{") ? JSON.parse(text) : parseYaml(text)) as FlagsDocument;
  if (doc?.version !== 1) throw new Error("not a flags document: expected `version: 1`");
  if (!Array.isArray(doc.flags) || !Array.isArray(doc.segments))
    throw new Error("a flags document has `flags` and `segments` lists");
  return doc;
}
