/**
 * The report page's worker thread (see page-thread.ts): it loads what every page needs (the chart
 * libraries, the Parquet reader the plots use, the registry) while the main thread generates, then
 * builds the page of the one folder it is sent and answers with what it wrote or the error.
 */
import { parentPort, workerData } from "node:worker_threads";
import { SynthError } from "../../../core/errors.js";
import type { PageReply, PageRequest } from "./page-thread.js";

const port = parentPort;
if (port === null) throw new Error("page-worker.js runs as a worker thread");
const { scenario } = workerData as { scenario: string };
// Started at once, awaited when the folder arrives: an import failing here is reported then.
const ready = Promise.all([
  import("./build.js"),
  import("../../registry.js").then((r) => r.getScenario(scenario)),
  import("vega"),
  import("vega-lite"),
  import("../../../io/parquet.js"),
]);
ready.catch(() => {});

port.once("message", async (request: PageRequest) => {
  let reply: PageReply;
  try {
    const [{ writeHtmlReport }, def] = await ready;
    reply = { ok: await writeHtmlReport(def, request.dir, request.options) };
  } catch (error) {
    reply =
      error instanceof SynthError
        ? {
            error: {
              kind: error.name,
              code: error.code,
              message: error.message,
              hint: error.hint,
              location: error.location,
              exitCode: error.exitCode,
            },
          }
        : { crash: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
});
