/**
 * Starts dynalite (an implementation of the DynamoDB API on an in-memory LevelDB) in this
 * process on 127.0.0.1, on a free port, and returns an AWS SDK v3 client pointed at it.
 */
import type { AddressInfo } from "node:net";
import { DynamoDB } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";

export interface Dynalite {
  readonly endpoint: string;
  /** A fresh aggregated client (the SDK's standard retries, fake credentials). */
  client(options?: { maxAttempts?: number }): DynamoDB;
  stop(): Promise<void>;
}

export async function startDynalite(): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: DynamoDB[] = [];
  return {
    endpoint,
    client(options = {}) {
      const c = new DynamoDB({
        endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
      });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
