import { describe, it } from "vitest";
import { createMemoryStore } from "../../src/store/memory.js";
import { runStoreContract } from "../../src/testing.js";

runStoreContract({ name: "memory", create: () => createMemoryStore(), describe, it });
