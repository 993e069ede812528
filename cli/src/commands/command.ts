/** @module What every command gets: the admin API, stdout/stderr, the options and its arguments. */
import type { Api } from "../api.js";
import type { Io } from "../io.js";
import type { Options } from "../options.js";

export interface Command {
  api: Api;
  io: Io;
  options: Options;
  /** The positional arguments after the command's name (`flag on new-checkout` → `["on", "new-checkout"]`). */
  args: string[];
}

export const enc = encodeURIComponent;
