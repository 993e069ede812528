/** @module The app's providers (query cache, router) around its routes; tests pass their own. */
import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { type BaseLocationHook, type BaseSearchHook, Router } from "wouter";
import { createQueryClient } from "../api/query.js";
import { AppRoutes } from "./routes.js";

export interface AppProps {
  queryClient?: QueryClient;
  /** A wouter location hook (e.g. `memoryLocation().hook` in tests); the browser's by default. */
  locationHook?: BaseLocationHook;
  /** Its search hook (`memoryLocation().searchHook`), so `?query` works in tests too. */
  searchHook?: BaseSearchHook;
}

export function App({ queryClient, locationHook, searchHook }: AppProps) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      {locationHook ? (
        <Router hook={locationHook} searchHook={searchHook}>
          <AppRoutes />
        </Router>
      ) : (
        <AppRoutes />
      )}
    </QueryClientProvider>
  );
}
