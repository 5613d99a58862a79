/**
 * Worker-thread entry: encodes pair tables as Parquet for {@link generateEntities} (one task per
 * split, answered with its chunks). Glue only; the bytes are made by pairs-parquet.ts, which runs
 * in-thread in the unit tests too.
 */

import { inspect } from "node:util";
import type { MessagePort } from "node:worker_threads";
import { parentPort, workerData } from "node:worker_threads";
import type { Table } from "../../core/table.js";
import { encodePairTable } from "./pairs-parquet.js";

const port = parentPort as unknown as MessagePort;
port.on("message", ({ id, task }: { id: number; task: Table }) => {
  encodePairTable(task, workerData as string).then(
    (chunks) =>
      port.postMessage(
        { id, result: chunks },
        chunks.map((c) => c.buffer as ArrayBuffer),
      ),
    (error: unknown) => port.postMessage({ id, error: inspect(error) }),
  );
});
