/**
 * @module `<SwitchyardProvider client={...}>`: makes one browser client available to the hooks below it.
 */
import { createContext, createElement, type ReactNode, useContext } from "react";
import type { BrowserClient } from "../client/types.js";

const ClientContext = createContext<BrowserClient | null>(null);

export function SwitchyardProvider(props: { client: BrowserClient; children?: ReactNode }) {
  return createElement(ClientContext.Provider, { value: props.client }, props.children);
}

/** The client from the nearest provider. Throws only for a missing provider: a wiring bug, not a flag error. */
export function useSwitchyardClient(): BrowserClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useFlag/useFlagDetail must be used inside <SwitchyardProvider client={...}>");
  return client;
}
