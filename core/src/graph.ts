/**
 * @module Dependency graphs between flags (prerequisites) and between segments (`segmentMatch` in segment
 * rules), walked once at compile time with an explicit stack: no recursion, so no stack overflow on a
 * 10,000-long chain, and evaluation can rely on every chain it follows being acyclic and short.
 */

export interface GraphShape {
  /** Nodes on a cycle (self-loops included). */
  inCycle: Set<string>;
  /** Longest chain of dependencies below each node (0 for a node with none); cycles count as 0. */
  depth: Map<string, number>;
}

/** `edges` maps each node to the nodes it depends on; dependencies that are not nodes are ignored. */
export function graphShape(edges: ReadonlyMap<string, readonly string[]>): GraphShape {
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const inCycle = new Set<string>();
  const depth = new Map<string, number>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack: [string, number][] = [[start, 0]];
    const path: string[] = [start];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1] as [string, number];
      const children = edges.get(top[0]) ?? [];
      const next = children[top[1]++];
      if (next === undefined) {
        let below = 0;
        for (const c of children) if (state.get(c) === 2) below = Math.max(below, (depth.get(c) ?? 0) + 1);
        depth.set(top[0], below);
        state.set(top[0], 2);
        stack.pop();
        path.pop();
      } else if (state.get(next) === 1) {
        for (const k of path.slice(path.indexOf(next))) inCycle.add(k);
      } else if (!state.has(next) && edges.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
        path.push(next);
      }
    }
  }
  return { inCycle, depth };
}
