/**
 * @module Every migration, imported statically so bundlers keep them (no folder scan at run time).
 * Add a new file `NNNN-name.ts` and list it here; never edit one that has shipped.
 */
import type { Migration } from "kysely/migration";
import * as m0001 from "./0001-initial.js";
import * as m0002 from "./0002-edit-versions.js";
import * as m0003 from "./0003-shadow-reports.js";
import * as m0007 from "./0007-promotions.js";
import * as m0009 from "./0009-guards.js";
import * as m0010 from "./0010-webhooks.js";
import * as m0011 from "./0011-freezes.js";
import * as m0012 from "./0012-schedules.js";
import * as m0013 from "./0013-change-requests.js";
import * as m0014 from "./0014-flags-file.js";
import * as m0015 from "./0015-flags-file-segments.js";
import * as m0016 from "./0016-guard-restarts.js";
import * as m0017 from "./0017-audit-flags.js";

export const migrations: Record<string, Migration> = {
  "0001-initial": m0001,
  "0002-edit-versions": m0002,
  "0003-shadow-reports": m0003,
  "0007-promotions": m0007,
  "0009-guards": m0009,
  "0010-webhooks": m0010,
  "0011-freezes": m0011,
  "0012-schedules": m0012,
  "0013-change-requests": m0013,
  "0014-flags-file": m0014,
  "0015-flags-file-segments": m0015,
  "0016-guard-restarts": m0016,
  "0017-audit-flags": m0017,
};
