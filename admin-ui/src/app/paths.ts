/**
 * @module Links between screens, built in one place. Flag keys may contain `.`; the server treats a last
 * path segment with a dot as a file (`/app.js`) rather than a page, so the dots are percent-encoded and a
 * reloaded `/flags/checkout.v2` still gets the app.
 */
const segment = (value: string) => encodeURIComponent(value).replace(/\./g, "%2E");

export const paths = {
  flags: "/flags",
  flag: (key: string) => `/flags/${segment(key)}`,
  segments: "/segments",
  segmentsIn: (env: string) => `/segments/${segment(env)}`,
  segment: (env: string, key: string) => `/segments/${segment(env)}/${segment(key)}`,
  history: "/history",
  changelog: "/changelog",
  environments: "/environments",
  keys: "/keys",
  users: "/users",
  usage: "/usage",
  release: "/release",
  /** The release screen with one flag's promotion from `from` to `to` preselected. */
  promote: (flag: string, from: string, to: string) =>
    `/release?${new URLSearchParams({ flag, from, to }).toString()}`,
  incident: "/incident",
  changeRequests: (env = "") =>
    env ? `/change-requests?environment=${encodeURIComponent(env)}` : "/change-requests",
  freezes: "/freezes",
  login: "/login",
};
