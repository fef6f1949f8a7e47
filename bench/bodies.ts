/**
 * The webhook bodies the edge benchmarks parse (bench/parse.bench.ts, bench/parse-ab.bench.ts):
 * a one-message body and a 1,000-update batch, written once so both measure the same input.
 */
export const metadata = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };

export function message(n: number) {
  return {
    from: `5511${String(900000000 + n)}`,
    from_user_id: `BR.${1502576394655843 + n}`,
    id: `wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBCMEE${n}`,
    timestamp: String(1763990000 + n),
    type: "text",
    text: { body: "Olá! Does it come in another color? I'd like the blue one." },
  };
}

function status(n: number) {
  return {
    id: `wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjE${n}`,
    status: n % 3 === 0 ? "sent" : n % 3 === 1 ? "delivered" : "read",
    timestamp: String(1763990000 + n),
    recipient_id: `5511${String(900000000 + n)}`,
    recipient_user_id: `BR.${1502576394655843 + n}`,
    pricing: { billable: true, pricing_model: "PMP", type: "regular", category: "utility" },
  };
}

/** 10 entries × 10 changes × (5 messages + 5 statuses) = 1,000 updates. */
export function batch(): string {
  let n = 0;
  const entry = [];
  for (let e = 0; e < 10; e++) {
    const changes = [];
    for (let c = 0; c < 10; c++) {
      const messages = [];
      const statuses = [];
      const contacts = [];
      for (let k = 0; k < 5; k++) {
        const m = message(n++);
        messages.push(m);
        contacts.push({ profile: { name: "Ana" }, wa_id: m.from, user_id: m.from_user_id });
        statuses.push(status(n++));
      }
      changes.push({
        field: "messages",
        value: { messaging_product: "whatsapp", metadata, contacts, messages, statuses },
      });
    }
    entry.push({ id: "102290129340398", changes });
  }
  return JSON.stringify({ object: "whatsapp_business_account", entry });
}

export const one = JSON.stringify({
  object: "whatsapp_business_account",
  entry: [
    {
      id: "102290129340398",
      changes: [
        {
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata,
            contacts: [
              { profile: { name: "Ana" }, wa_id: "5511900000000", user_id: "BR.1502576394655843" },
            ],
            messages: [message(0)],
          },
        },
      ],
    },
  ],
});
