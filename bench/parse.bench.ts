/**
 * WhatsApp edge throughput: parseWebhook on a one-message body and on a 1,000-update batch,
 * next to bare JSON.parse of the same text, plus signature checks.
 *
 * Also the one-bucket worst case of deduplication (16,000 updates of one id / one user).
 *
 * Run: npx tsx bench/parse.bench.ts
 */
import { bench, do_not_optimize, run, summary } from "mitata";
import { parseWebhook } from "../src/whatsapp/parse.js";
import { signBody, verifySignature } from "../src/whatsapp/signature.js";
import { batch, metadata, one } from "./bodies.js";

const big = batch();
const check = parseWebhook(big);
if (check.events.length !== 2_000 || check.issues.length !== 0) {
  // 500 inbound + 500 status + 1,000 alias events (message senders and status recipients)
  throw new Error(
    `unexpected parse result: ${check.events.length} events, ${check.issues.length} issues`,
  );
}
console.log(
  `one-message body: ${one.length} B; batch body: ${(big.length / 1024).toFixed(0)} KiB, 1,000 updates`,
);

const secret = "0123456789abcdef0123456789abcdef";
const header = await signBody(big, secret);
const oneHeader = await signBody(one, secret);

summary(() => {
  bench("JSON.parse (one message)", () => do_not_optimize(JSON.parse(one)));
  bench("parseWebhook (one message)", () => do_not_optimize(parseWebhook(one)));
});
summary(() => {
  bench("JSON.parse (1,000 updates)", () => do_not_optimize(JSON.parse(big)));
  bench("parseWebhook (1,000 updates)", () => do_not_optimize(parseWebhook(big)));
});
bench("verifySignature (one message)", async () =>
  do_not_optimize(await verifySignature(one, oneHeader, secret)),
);
bench("verifySignature (1,000 updates)", async () =>
  do_not_optimize(await verifySignature(big, header, secret)),
);

await run();

/** CPU time per call (less sensitive than wall-clock to other processes on a shared machine). */
function cpuMs(fn: () => unknown, n: number): number {
  for (let i = 0; i < 30; i++) fn();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / n / 1000;
}
for (const [label, body, n] of [
  ["one message", one, 20_000],
  ["1,000 updates", big, 200],
] as const) {
  const json = cpuMs(() => JSON.parse(body), n);
  const parse = cpuMs(() => parseWebhook(body), n);
  console.log(
    `${label}: parseWebhook ${parse.toFixed(3)} ms CPU (${Math.round(1000 / parse)} bodies/s), ` +
      `JSON.parse ${json.toFixed(3)} ms, ratio ${(parse / json).toFixed(2)}x`,
  );
}

/**
 * Worst case for in-body deduplication: one key bucket holding every item — 16,000 statuses of
 * one message id (~3 MB) and 16,000 preference changes of one user. Each must stay linear
 * (before the fix: 66 s and 53 s); the bound asserted here is 2 s.
 */
function oneBucket(n: number): { statuses: string; preferences: string } {
  const statuses = [];
  const preferences = [];
  for (let i = 0; i < n; i++) {
    statuses.push({
      id: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjBBQUE1QUE0RkE3MjcxMUQ3NwA=",
      status: i % 2 === 0 ? "delivered" : "read",
      timestamp: String(1763990000 + i),
      recipient_id: "5511987654321",
      recipient_user_id: "BR.1502576394655843",
      pricing: { billable: true, pricing_model: "PMP", type: "regular", category: "utility" },
    });
    preferences.push({
      wa_id: "5511987654321",
      category: "marketing_messages",
      value: i % 2 === 0 ? "stop" : "resume",
      timestamp: 1763990000 + i,
    });
  }
  const wrap = (field: string, key: string, items: unknown[]) =>
    JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: "102290129340398", changes: [{ field, value: { metadata, [key]: items } }] }],
    });
  return {
    statuses: wrap("messages", "statuses", statuses),
    preferences: wrap("user_preferences", "user_preferences", preferences),
  };
}
const worst = oneBucket(16_000);
for (const [label, body] of [
  ["16,000 same-id statuses", worst.statuses],
  ["16,000 same-user preferences", worst.preferences],
] as const) {
  const r = parseWebhook(body);
  if (r.events.length < 16_000) throw new Error(`${label}: ${r.events.length} events`);
  const ms = cpuMs(() => parseWebhook(body), 5);
  console.log(
    `${label} (${(body.length / 1e6).toFixed(1)} MB): parseWebhook ${ms.toFixed(1)} ms CPU`,
  );
  if (ms > 2_000) throw new Error(`${label}: ${ms.toFixed(0)} ms, expected well under 2 s`);
}
