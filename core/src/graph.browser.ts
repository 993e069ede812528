/**
 * @module Dependency graphs in browsers (core's package.json `browser` map swaps it in for graph.ts): the
 * same depths and cycles, found by a plain recursive walk, which is smaller than graph.ts's explicit stack.
 * The recursion stops LIMIT nodes down, so a corrupt cached ruleset (a cycle, a 10,000-long chain) cannot
 * overflow the stack: what lies on a longer path counts as deeper than compile's bound, and is not followed.
 * Up to LIMIT (far beyond the 32 that compile accepts) the answers are graph.ts's; a test holds it to that.
 */
import type * as Graph from "./graph.js";

const LIMIT = 500;

export const graphShape: typeof Graph.graphShape = (edges) => {
  const inCycle = new Set<string>();
  const depth = new Map<string, number>();
  const path: string[] = [];
  const walk = (node: string): number => {
    const at = path.indexOf(node);
    if (at >= 0) {
      for (const k of path.slice(at)) inCycle.add(k);
      return -1; // a cycle adds nothing to the depth, as in graph.ts
    }
    let d = depth.get(node);
    if (d === undefined) {
      d = 0;
      if (path.push(node) > LIMIT) d = LIMIT;
      else for (const c of edges.get(node) ?? []) if (edges.has(c)) d = Math.max(d, walk(c) + 1);
      path.pop();
      depth.set(node, d);
    }
    return d;
  };
  for (const node of edges.keys()) walk(node);
  return { inCycle, depth };
};
