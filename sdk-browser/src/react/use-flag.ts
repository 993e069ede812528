/**
 * @module Flag hooks over `useSyncExternalStore` with one subscription per flag: a component re-renders when
 * a flag it reads changes (a kill switch), never when another flag does.
 */
import { useCallback, useSyncExternalStore } from "react";
import type { FlagDetail, JsonValue } from "../index.js";
import { useSwitchyardClient } from "./provider.js";

/** The flag's value for the current context, or `defaultValue`. */
export function useFlag<T extends JsonValue>(flagKey: string, defaultValue: T): T {
  return useFlagDetail(flagKey, defaultValue).value;
}

/** Value, variant and reason (errors come back as the default with an `errorCode`). */
export function useFlagDetail<T extends JsonValue>(flagKey: string, defaultValue: T): FlagDetail<T> {
  const client = useSwitchyardClient();
  const subscribe = useCallback(
    (onChange: () => void) => client.subscribe(flagKey, onChange),
    [client, flagKey],
  );
  const peek = () => client.peek(flagKey);
  // The snapshot is the stored decision: same object until this flag changes.
  useSyncExternalStore(subscribe, peek, peek);
  return client.getDetail(flagKey, defaultValue);
}
