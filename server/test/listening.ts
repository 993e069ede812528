/**
 * @module The real server on a loopback port (for what needs sockets: shutdown, streams over HTTP),
 * with an admin token and a helper to post as that admin.
 */
import { type StartServerOptions, startServer } from "../src/server.js";

export const LISTENING_ADMIN = `sy_admin_${"s".repeat(43)}`;

export async function startListening(options: StartServerOptions = {}) {
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    seedDemo: false,
    adminToken: LISTENING_ADMIN,
    logLevel: "silent",
    bootstrapAdmin: false,
    ...options,
  });
  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${LISTENING_ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  return { server, post };
}
