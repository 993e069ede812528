/**
 * @module Renders a piece of the UI (or the whole app) with a fresh query client and an in-memory router,
 * for component tests.
 */
import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type RenderResult, render } from "@testing-library/react";
import type { ReactNode } from "react";
import { Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";
import { createQueryClient } from "../api/query.js";
import { App } from "../app/App.js";

export interface Rendered extends RenderResult {
  /** The in-memory location; `history` lists every path navigated to. */
  location: ReturnType<typeof memoryLocation> & { history: string[] };
  client: QueryClient;
}

/** A query client for tests: no retries, so a failing request shows at once. */
export function testQueryClient(): QueryClient {
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false, staleTime: 0 }, mutations: { retry: false } });
  return client;
}

/** Renders `ui` at `path` (e.g. `/flags?tag=x`); `location.history` lists where it navigated. */
export function renderAt(ui: ReactNode, path = "/", client = testQueryClient()): Rendered {
  const location = memoryLocation({ path, record: true });
  const result = render(
    <QueryClientProvider client={client}>
      <Router hook={location.hook} searchHook={location.searchHook}>
        {ui}
      </Router>
    </QueryClientProvider>,
  );
  return { ...result, location, client };
}

/** Renders the whole app (routes, auth guard, layout) at `path`. */
export function renderApp(path = "/", client = testQueryClient()): Rendered {
  const location = memoryLocation({ path, record: true });
  const result = render(
    <App queryClient={client} locationHook={location.hook} searchHook={location.searchHook} />,
  );
  return { ...result, location, client };
}

/** happy-dom lays nothing out; give scroll containers a size so the virtual list renders rows. */
export function fakeLayout(width = 1200, height = 800): () => void {
  const proto = HTMLElement.prototype;
  const saved = {
    clientWidth: Object.getOwnPropertyDescriptor(proto, "clientWidth"),
    clientHeight: Object.getOwnPropertyDescriptor(proto, "clientHeight"),
  };
  Object.defineProperty(proto, "clientWidth", { configurable: true, get: () => width });
  Object.defineProperty(proto, "clientHeight", { configurable: true, get: () => height });
  return () => {
    for (const [name, descriptor] of Object.entries(saved)) {
      if (descriptor) Object.defineProperty(proto, name, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[name];
    }
  };
}
