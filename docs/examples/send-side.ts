// A send-side function: your app calls it before every send and after Meta accepted one. It
// imports only the root `care-window`, so it loads no zod and no webhook parser: only the core,
// the service and the store. Recipe: docs/recipes/README.md ("Two kinds of handler").
// test/package/bundle-budgets.test.ts bundles this file from the packed package, checks that no
// zod reaches the output, and runs it.
import {
  createCareWindow,
  createMemoryStore,
  type Decision,
  type SendRequestBody,
  type Thread,
} from "care-window";

// In production: the same store as the webhook handler (e.g. `createPostgresStore` from
// "care-window/postgres"), so both see one state per thread.
export const care = createCareWindow({ store: createMemoryStore(), requireOptIn: false });

/** Before a send: the Cloud API body you are about to POST is classified on the root (TPL-9). */
export async function beforeSend(thread: Thread, body: SendRequestBody): Promise<Decision> {
  return care.decide(thread, body, { sender: "automation" });
}

/** After Meta accepted the send: record it under its wamid (it never extends the window, CSW-6). */
export async function afterSend(thread: Thread, wamid: string, at: Date): Promise<void> {
  await care.record([
    { kind: "outbound", id: wamid, message: "free-form", type: "text", at, thread },
  ]);
}
