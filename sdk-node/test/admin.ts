/**
 * @module A few admin API calls the integration tests make against the real server (`/api/v1`).
 */
export class Admin {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createEnvironment(key: string) {
    return this.call("POST", "/environments", { key, name: key });
  }

  createBooleanFlag(key: string) {
    return this.call("POST", "/flags", { key, kind: "boolean", name: key });
  }

  /** Edits carry the version they are based on (the server answers 409/428 otherwise). */
  async setOn(env: string, flag: string, on: boolean) {
    const state = await this.call<{ version: number }>("GET", `/environments/${env}/flags/${flag}`);
    return this.call("PATCH", `/environments/${env}/flags/${flag}`, { on, version: state.version });
  }

  kill(env: string, flag: string, reason = "integration test") {
    return this.call("POST", `/environments/${env}/flags/${flag}/kill`, { reason });
  }

  async serverKey(env: string): Promise<string> {
    const created = await this.call<{ secret: string }>("POST", "/keys", {
      name: `sdk-${env}`,
      kind: "server",
      environment: env,
    });
    return created.secret;
  }
}
