/**
 * @module The last good payload persisted in `localStorage` so the next page load paints with real flags.
 * The key is versioned (a format change simply misses the old entry), entries above `maxBytes` are not
 * kept, and anything unreadable is removed and ignored.
 */

/** Bump when the stored shape changes; old entries are then never read. */
export const CACHE_FORMAT = 1;

export interface StorageCache<T> {
  load(): T | undefined;
  save(value: T): void;
}

/** A short stable fingerprint so two servers/keys/modes never share an entry. */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

export function defaultStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // access can throw (privacy mode, sandboxed iframes)
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
  const key = `switchyard:v${CACHE_FORMAT}:${fingerprint(scope)}`;
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
        else storage?.setItem(key, text);
      } catch {
        drop(); // quota exceeded: better no cache than a stale one
      }
    },
  };
}
