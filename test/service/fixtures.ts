/** Webhook bodies for service tests, shaped as in payloads.md §2, §5, §8. */
export const BUSINESS = "106540352242922";
export const WABA = "102290129340398";

export interface BodyOptions {
  readonly customer?: string;
  /** Unix seconds. */
  readonly ts: number;
  readonly wamid?: string;
}

export function inboundBody(o: BodyOptions): unknown {
  const customer = o.customer ?? "5511987654321";
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: WABA,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: BUSINESS },
              contacts: [{ profile: { name: "Ana" }, wa_id: customer }],
              messages: [
                {
                  from: customer,
                  id: o.wamid ?? `wamid.IN.${o.ts}`,
                  timestamp: String(o.ts),
                  type: "text",
                  text: { body: "oi" },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

export function statusBody(
  o: BodyOptions & { readonly status?: string; readonly category?: string },
): unknown {
  const customer = o.customer ?? "5511987654321";
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: WABA,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: BUSINESS },
              statuses: [
                {
                  id: o.wamid ?? `wamid.OUT.${o.ts}`,
                  status: o.status ?? "delivered",
                  timestamp: String(o.ts),
                  recipient_id: customer,
                  pricing: {
                    billable: false,
                    pricing_model: "PMP",
                    type: "free_customer_service",
                    category: o.category ?? "service",
                  },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

export function templateStatusBody(name: string, category: string, time: number): unknown {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: WABA,
        time,
        changes: [
          {
            field: "message_template_status_update",
            value: {
              event: "APPROVED",
              message_template_id: 1689556908129832,
              message_template_name: name,
              message_template_language: "en-US",
              reason: "NONE",
              message_template_category: category,
            },
          },
        ],
      },
    ],
  };
}

/** One body mixing inbound messages, delivered service statuses and a template update. */
export function mixedBody(ts: number, customers: readonly string[]): unknown {
  const bodies = [
    ...customers.map((c, i) => inboundBody({ customer: c, ts: ts + i, wamid: `wamid.IN.${c}` })),
    ...customers.map((c, i) =>
      statusBody({ customer: c, ts: ts + 100 + i, wamid: `wamid.OUT.${c}` }),
    ),
    templateStatusBody("order_update", "MARKETING", ts + 5),
  ] as { entry: unknown[] }[];
  return { object: "whatsapp_business_account", entry: bodies.flatMap((b) => b.entry) };
}
