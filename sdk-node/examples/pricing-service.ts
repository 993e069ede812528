/**
 * The example service of the dark-launch walkthrough (README, "Dark launches"): a price endpoint whose
 * pricing code is being rewritten. `legacyPrice` is what users get today, `newPrice` the rewrite; the flag
 * `pricing-v2` decides, per user, which one answers and whether the other runs in its shadow.
 *
 * Run it against a local Switchyard: `SWITCHYARD_SDK_KEY=… npx tsx sdk-node/examples/pricing-service.ts`.
 */
import { createServer } from "node:http";
import { createClient, type SwitchyardClient } from "../src/index.js";

export interface Cart {
  items: { sku: string; unitCents: number; quantity: number }[];
  coupon?: string;
}

/** Today's code. */
export function legacyPrice(cart: Cart): { totalCents: number } {
  let total = 0;
  for (const item of cart.items) total += item.unitCents * item.quantity;
  if (cart.coupon === "TENOFF") total = Math.round(total * 0.9);
  return { totalCents: total };
}

/** The rewrite — with a bug the shadow comparison will find: coupons are applied per item, rounding each. */
export async function newPrice(cart: Cart): Promise<{ totalCents: number }> {
  const discount = cart.coupon === "TENOFF" ? 0.9 : 1;
  const total = cart.items.reduce((sum, i) => sum + Math.round(i.unitCents * i.quantity * discount), 0);
  return { totalCents: total };
}

/** `POST /price` with `{ user, cart }`: the flag picks the primary path; the shadow rule samples the other. */
export function priceHandler(client: SwitchyardClient) {
  return async (request: Request): Promise<Response> => {
    const { user, cart } = (await request.json()) as { user: string; cart: Cart };
    const price = await client.shadow(
      "pricing-v2",
      { targetingKey: user },
      { control: () => legacyPrice(cart), candidate: () => newPrice(cart) },
    );
    return Response.json(price);
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const client = createClient({
    url: process.env.SWITCHYARD_URL ?? "http://127.0.0.1:4000",
    sdkKey: process.env.SWITCHYARD_SDK_KEY ?? "",
  });
  const handle = priceHandler(client);
  createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const response = await handle(
      new Request(`http://localhost${req.url}`, { method: req.method, body: Buffer.concat(chunks) }),
    );
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(await response.text());
  }).listen(3000, () => console.log("pricing service on http://localhost:3000/price"));
}
