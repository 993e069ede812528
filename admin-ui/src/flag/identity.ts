/**
 * @module Stable identity for list items that have none on the wire (clauses, prerequisites, segment
 * rules), for React keys and for pinning a server error to the item it was about. An item keeps its
 * identity through edits made with {@link carry}; anything read fresh from the server (a live update,
 * "Discard edits") is a new object and so a new item, whose inputs start from its own values.
 */
const ids = new WeakMap<object, string>();
let next = 0;

export function idOf(item: object): string {
  let id = ids.get(item);
  if (id === undefined) {
    id = `item-${(next++).toString(36)}`;
    ids.set(item, id);
  }
  return id;
}

/** `edited` replaces `original` in an edit: it is the same item. */
export function carry<T extends object>(original: T | undefined, edited: T): T {
  if (original) ids.set(edited, idOf(original));
  return edited;
}
