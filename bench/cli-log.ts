/**
 * A generated webhook log for the CLI's streaming benchmark (bench/cli.bench.ts) and the CLI's
 * large-log test (test/cli/big-log.test.ts): `bodies` WhatsApp POST bodies, one per line, spread
 * over `threads` customers of one business number. Deterministic: the same arguments give the
 * same bytes.
 *
 * Bodies go round the customers in turn; in every 4th round each body is a `delivered` status
 * of a marketing template the shop sent (an outbound event, PRICE-1 evidence), in the others a
 * customer's text message (inbound, CSW-1), so every customer writes. Every 50th body is a
 * redelivery of the body before it, which changes no state (CSW-4).
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** What a generated log holds, for checking a replay's summary line. */
export interface BigLogFacts {
  readonly bodies: number;
  readonly threads: number;
  /** Bodies that repeat the one before them (CSW-4: they change nothing). */
  readonly redeliveries: number;
  /** The latest event instant, epoch ms. */
  readonly latestAt: number;
  readonly bytes: number;
}

const BUSINESS = "106540352242922";
const START_S = Date.parse("2026-11-20T00:00:00Z") / 1000;

const customerOf = (i: number): string => `55119${String(10_000_000 + i).slice(-8)}`;

function body(k: number, threads: number): { line: string; at: number } {
  const customer = customerOf(k % threads);
  // One body every 0.5 s on average: a million bodies span about six days.
  const ts = START_S + Math.floor(k / 2);
  const meta = `"messaging_product":"whatsapp","metadata":{"display_phone_number":"5511955550100","phone_number_id":"${BUSINESS}"}`;
  const value =
    Math.floor(k / threads) % 4 === 3
      ? `{${meta},"statuses":[{"id":"wamid.out${k}","status":"delivered","timestamp":"${ts}","recipient_id":"${customer}","pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"marketing"}}]}`
      : `{${meta},"contacts":[{"profile":{"name":"C${k % threads}"},"wa_id":"${customer}"}],"messages":[{"from":"${customer}","id":"wamid.in${k}","timestamp":"${ts}","type":"text","text":{"body":"order ${k}"}}]}`;
  return {
    line: `{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":${value}}]}]}\n`,
    at: ts * 1000,
  };
}

/**
 * Writes the log to `path` (streamed: the generator itself holds one chunk at a time).
 *
 * @example
 * ```ts
 * const facts = await writeBigLog("/tmp/big.ndjson", { bodies: 200_000, threads: 2_000 });
 * ```
 */
export async function writeBigLog(
  path: string,
  options: { readonly bodies: number; readonly threads: number },
): Promise<BigLogFacts> {
  const out = createWriteStream(path);
  let chunk = "";
  let bytes = 0;
  let redeliveries = 0;
  let latestAt = 0;
  let previous = "";
  for (let k = 0, written = 0; written < options.bodies; written++) {
    let line: string;
    if (written % 50 === 49 && previous !== "") {
      line = previous;
      redeliveries++;
    } else {
      const b = body(k++, options.threads);
      line = b.line;
      latestAt = Math.max(latestAt, b.at);
    }
    previous = line;
    chunk += line;
    if (chunk.length > 1 << 20) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await once(out, "finish");
  return {
    bodies: options.bodies,
    threads: Math.min(options.threads, options.bodies - redeliveries),
    redeliveries,
    latestAt,
    bytes,
  };
}
