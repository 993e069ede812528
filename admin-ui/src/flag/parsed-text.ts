/**
 * @module The text of a controlled box that edits a parsed value (clause values, target keys). While the
 * typed text still says the value, it is kept as typed (a trailing ", " survives); when the value changed
 * from outside (a live update, "Discard edits"), the box shows the value's own text.
 */
import { useState } from "react";

export function useParsedText<T>(
  value: T,
  format: (value: T) => string,
  says: (text: string, value: T) => boolean,
): [string, (text: string) => void] {
  const [text, setText] = useState(() => format(value));
  return [says(text, value) ? text : format(value), setText];
}
