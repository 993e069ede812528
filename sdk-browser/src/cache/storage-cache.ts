/**
 * @module The last good payload persisted in `localStorage` so the next page load paints with real flags.
 * The key is versioned (a format change simply misses the old entry, and the next write removes entries of
 * other versions), entries above `maxBytes` are not kept, and anything unreadable is removed and ignored.
 */

import { murmur3 } from "@switchyard/core";

/** Bump when the stored shape changes; old entries are then never read. 2: server mode keys by whole context. */
export const CACHE_FORMAT = 2;
const PREFIX = "switchyard:v";
const CURRENT = "switchyard:v2:"; // PREFIX + CACHE_FORMAT, written out: bundlers do not fold the template

export interface StorageCache<T> {
  load(): T | undefined;
  save(value: T): void;
}

/** A short stable fingerprint so two servers/keys/modes never share an entry. */
export const fingerprint = (text: string): string => murmur3(text).toString(36);

export function defaultStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // access can throw (privacy mode, sandboxed iframes)
  }
}

/** Entries of other format versions are never read again: free their room for the current one. */
function dropOtherFormats(storage: Storage) {
  for (let i = storage.length; i--; ) {
    const key = storage.key(i);
    if (key?.startsWith(PREFIX) && !key.startsWith(CURRENT)) storage.removeItem(key);
  }
}

/**
 * @param accept validates what was read; a rejected entry counts as corrupt.
 */
export function createStorageCache<T>(
  storage: Storage | null,
  scope: string,
  maxBytes: number,
  accept: (value: unknown) => value is T,
): StorageCache<T> {
  const key = CURRENT + fingerprint(scope);
  const drop = () => {
    try {
      storage?.removeItem(key);
    } catch {}
  };
  return {
    load() {
      try {
        const text = storage?.getItem(key);
        if (!text) return undefined;
        if (text.length <= maxBytes) {
          const value: unknown = JSON.parse(text);
          if (accept(value)) return value;
        }
      } catch {}
      drop();
      return undefined;
    },
    save(value) {
      try {
        const text = JSON.stringify(value);
        if (text.length > maxBytes) drop();
        else if (storage) {
          dropOtherFormats(storage);
          storage.setItem(key, text);
        }
      } catch {
        drop(); // quota exceeded: better no cache than a stale one
      }
    },
  };
}
