/**
 * `spec draft` against a real HTTP server on 127.0.0.1 that this file starts, serving canned chat
 * replies: valid, invalid then valid, never valid, no YAML, broken bodies, HTTP errors, a server too
 * slow for the timeout, and a closed port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test, vi } from "vitest";
import { parse } from "yaml";
import { InputError, IoError } from "../../core/errors.js";
import { DISTRIBUTION_NAMES, PARAM_KEYS } from "../../core/samplers/index.js";
import { contractSchema } from "./contract-schema.js";
import {
  type DraftAttempt,
  type DraftResult,
  draftContract,
  draftFileText,
  draftSystemPrompt,
  extractYaml,
  MAX_ECHO_CHARS,
  MAX_PROBLEM_CHARS,
  MAX_PROBLEMS_SENT,
  MAX_REPLY_BYTES,
} from "./draft.js";
import { requirementSchema } from "./requirements.js";

const VALID = `num_samples: 1000
seed: 3
columns:
  x: {distribution: uniform, params: {min: 0, max: 1}}
  noise: {distribution: normal, params: {mean: 0, sd: 1}, hidden: true}
  y: {expr: "2 * x + noise"}
validation_requirements:
  - {check: relationship_check, type: linear_regression, dependent: y, independent: x, expected_slope: 2, tolerance: 0.2}
`;
/** Two problems: sd 0, and y reads a column defined after it. */
const INVALID = `num_samples: 1000
columns:
  x: {distribution: uniform, params: {min: 0, max: 1}}
  y: {expr: "2 * x + noise"}
  noise: {distribution: normal, params: {mean: 0, sd: 0}}
`;
const INTENT = "x uniform on (0,1), y = 2x plus standard normal noise";

/**
 * What the canned server does with one request: answer with a status and body, never answer, or
 * stream a chat reply whose content is `stream` bytes of "x", for as long as the client reads.
 */
type Canned = { readonly status?: number; readonly body: string } | { readonly stream: number } | "hang" | "headers-then-hang";

/** How much of a streamed reply the server wrote, and whether it got to the end. */
interface Streamed {
  bytes: number;
  finished: boolean;
}

const chat = (content: string): Canned => ({ body: JSON.stringify({ choices: [{ message: { role: "assistant", content } }] }) });
const fenced = (yaml: string, lang = "yaml") => `Here is the spec:\n\n\`\`\`${lang}\n${yaml}\`\`\`\n\nReview it before running.`;

interface Received {
  readonly url: string | undefined;
  readonly headers: IncomingMessage["headers"];
  readonly body: { model: string; temperature: number; messages: { role: string; content: string }[] };
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** Writes a chat reply of `size` bytes of content in 64 KB chunks, waiting whenever the client is behind. */
function stream(res: ServerResponse, size: number, log: Streamed): void {
  const chunk = "x".repeat(65_536);
  res.writeHead(200, { "content-type": "application/json" });
  res.write('{"choices": [{"message": {"role": "assistant", "content": "');
  const pump = () => {
    while (log.bytes < size) {
      log.bytes += chunk.length;
      // A client that stopped reading never drains: the pump stops here.
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    res.end('"}}]}', () => {
      log.finished = true;
    });
  };
  pump();
}

/** Starts a server answering each request with the next canned reply (a 599 once they run out). */
async function serve(replies: readonly Canned[]): Promise<{ endpoint: string; received: Received[]; streamed: Streamed[] }> {
  const received: Received[] = [];
  const streamed: Streamed[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => {
      raw += chunk.toString("utf8");
    });
    req.on("end", () => {
      received.push({ url: req.url, headers: req.headers, body: JSON.parse(raw) });
      const reply = replies[received.length - 1] ?? { status: 599, body: "no more canned replies" };
      if (reply === "hang") return;
      if (reply === "headers-then-hang") {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"choices": [');
        return;
      }
      if ("stream" in reply) {
        const log = { bytes: 0, finished: false };
        streamed.push(log);
        return stream(res, reply.stream, log);
      }
      res.writeHead(reply.status ?? 200, { "content-type": "application/json" });
      res.end(reply.body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, received, streamed };
}

async function thrown(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

const count = (list: readonly string[], item: string) => list.filter((x) => x === item).length;
const outcomes = (attempts: readonly DraftAttempt[]) => attempts.map((a) => a.outcome);

describe("the system prompt", () => {
  const prompt = draftSystemPrompt();
  test.each(DISTRIBUTION_NAMES.map((name) => [name, `- ${name}: ${PARAM_KEYS[name].join(", ")} (`]))(
    "lists %s with its params",
    (_, line) => {
      expect(prompt).toContain(line);
    },
  );
  test.each(requirementSchema.options.map((o) => [o.shape.check.value]))("lists the check %s", (check) => {
    expect(prompt).toContain(`- ${check}: `);
  });
  test("marks optional keys and spells out enums", () => {
    expect(prompt).toContain("- distribution_test: column, distribution, params?, test: ks|chi2, alpha?");
    expect(prompt).toContain("- schema_check: columns: [...], types?: {<column>: float|int|bool|string}");
    expect(prompt).toContain("- correlation_check: columns: [a, b], expected, tolerance");
    expect(prompt).toContain("- poisson: lambda (discrete: test chi2)");
  });
  test("its example is a valid spec", () => {
    const { text, fenced: isFenced } = extractYaml(prompt);
    expect(isFenced).toBe(true);
    expect(contractSchema.safeParse(parse(text)).success).toBe(true);
  });
});

describe("extractYaml", () => {
  test.each([
    ["a ```yaml block", fenced("seed: 1\n"), "seed: 1\n"],
    ["a ```yml block after another block", "```json\n{}\n```\nthen\n```yml\nseed: 2\n```", "seed: 2\n"],
    ["a ```YAML block with text after the language", "```YAML title\nseed: 3\n```", "seed: 3\n"],
    ["the first block of any language when none is yaml", "```\nseed: 4\n```\n```json\n{}\n```", "seed: 4\n"],
    ["an unclosed fence, to the end", "```yaml\nseed: 5\n", "seed: 5\n"],
    ["an indented block, not a ``` inside a sentence", "Use a ```yaml block:\n  ```yaml\n  seed: 7\n  ```\n", "  seed: 7\n"],
  ])("takes %s", (_, reply, text) => {
    expect(extractYaml(reply)).toEqual({ text, fenced: true });
  });
  test("takes the whole reply when there is no fence", () => {
    expect(extractYaml("seed: 6\n")).toEqual({ text: "seed: 6\n", fenced: false });
    expect(extractYaml("say ```yaml here\nseed: 6\n")).toEqual({ text: "say ```yaml here\nseed: 6\n", fenced: false });
  });
});

describe("draftContract", () => {
  test("a valid first reply: ok after one attempt, and the request is an OpenAI chat call", async () => {
    const { endpoint, received } = await serve([chat(fenced(VALID))]);
    const seen: DraftAttempt[] = [];
    const result = await draftContract(`  ${INTENT} `, { endpoint: ` ${endpoint}// `, model: "codestral", onAttempt: (a) => seen.push(a) });
    expect(result).toMatchObject({ ok: true, yaml: VALID, spec: { num_samples: 1000, seed: 3 } });
    expect(result.attempts).toEqual([{ attempt: 1, outcome: "valid", problems: [], reply: fenced(VALID), yaml: VALID }]);
    expect(seen).toEqual(result.attempts);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.url).toBe("/v1/chat/completions");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toEqual({
      model: "codestral",
      temperature: 0,
      messages: [
        { role: "system", content: draftSystemPrompt() },
        { role: "user", content: `Write the spec for: ${INTENT}` },
      ],
    });
  });

  test("sends the API key as a bearer token", async () => {
    const { endpoint, received } = await serve([chat(fenced(VALID))]);
    await draftContract(INTENT, { endpoint, model: "m", apiKey: "sk-local" });
    expect(received[0]?.headers.authorization).toBe("Bearer sk-local");
  });

  test("invalid then valid: the second request carries the first draft and its problems", async () => {
    const { endpoint, received } = await serve([chat(fenced(INVALID)), chat(fenced(VALID))]);
    const result = await draftContract(INTENT, { endpoint, model: "m" });
    expect(result.ok).toBe(true);
    expect(outcomes(result.attempts)).toEqual(["invalid_spec", "valid"]);
    const problems = result.attempts[0]?.problems ?? [];
    expect(problems).toEqual([
      expect.stringMatching(/^columns\.y\.expr: .*"noise" is defined at or after this one/),
      expect.stringMatching(/^columns\.noise\.params\.sd: normal\.sd is 0, not a positive number/),
    ]);
    const messages = received[1]?.body.messages ?? [];
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(messages[2]?.content).toBe(fenced(INVALID));
    for (const p of problems) expect(messages[3]?.content).toContain(`- ${p}`);
  });

  test("never valid: ok false after maxAttempts, with the last draft and its problems", async () => {
    const { endpoint, received } = await serve([chat(fenced(INVALID)), chat(fenced(INVALID))]);
    const result = await draftContract(INTENT, { endpoint, model: "m", maxAttempts: 2 });
    expect(received).toHaveLength(2);
    expect(received[1]?.body.messages).toHaveLength(4); // the conversation grows by one exchange per retry
    expect(result).toMatchObject({ ok: false, yaml: INVALID, problems: result.attempts[1]?.problems });
    expect(outcomes(result.attempts)).toEqual(["invalid_spec", "invalid_spec"]);
    expect(result.ok || result.problems).toHaveLength(2);
  });

  test("replies without YAML: ok false, yaml null", async () => {
    const { endpoint } = await serve([chat("I'm sorry, I can't help with that."), chat("")]);
    const result = await draftContract(INTENT, { endpoint, model: "m", maxAttempts: 2 });
    expect(result).toMatchObject({ ok: false, yaml: null, problems: [expect.stringContaining("no YAML spec")] });
    expect(outcomes(result.attempts)).toEqual(["no_yaml", "no_yaml"]);
  });

  test("a bare YAML reply without a fence is accepted", async () => {
    const { endpoint } = await serve([chat(VALID)]);
    expect(await draftContract(INTENT, { endpoint, model: "m" })).toMatchObject({ ok: true, yaml: VALID });
  });

  test.each([
    ["a syntax error", fenced("columns:\n  x: {distribution: uniform\n"), "yaml_syntax", /^YAML syntax error: /],
    ["a duplicate key", fenced("seed: 1\nseed: 2\n"), "yaml_syntax", /^YAML syntax error: Map keys must be unique/],
    [
      "an alias bomb",
      fenced(`a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${"*a, ".repeat(9)}*a]\nc: [${"*b, ".repeat(9)}*b]\n`),
      "yaml_syntax",
      /^YAML error: /,
    ],
    ["a list", fenced("- num_samples: 10\n"), "not_mapping", /not a mapping/],
    ["unparsable text without a fence", "Sure: here: it is: {", "no_yaml", /no YAML spec/],
  ])("a draft with %s is sent back", async (_, reply, outcome, problem) => {
    const { endpoint, received } = await serve([chat(reply), chat(fenced(VALID))]);
    const result = await draftContract(INTENT, { endpoint, model: "m" });
    expect(result.ok).toBe(true);
    expect(result.attempts[0]).toMatchObject({ outcome, problems: [expect.stringMatching(problem)] });
    expect(received[1]?.body.messages[3]?.content).toContain(result.attempts[0]?.problems[0]);
  });

  test("keeps the last draft that had YAML when a later reply has none", async () => {
    const { endpoint } = await serve([chat(fenced(INVALID)), chat("no idea")]);
    expect(await draftContract(INTENT, { endpoint, model: "m", maxAttempts: 2 })).toMatchObject({ ok: false, yaml: INVALID });
  });

  test.each([
    ["a body that is not JSON", { body: "<html>Welcome to nginx</html>" }, /is not JSON: <html>Welcome to nginx<\/html>/],
    ["empty choices", { body: '{"choices": []}' }, /has no choices\[0\]\.message\.content/],
    ["a JSON null body", { body: "null" }, /has no choices/],
    ["an HTTP 500", { status: 500, body: '{"error": {"message": "model runner crashed"}}' }, /^HTTP 500 from .*: model runner crashed$/],
    ["an HTTP 503 with an empty body", { status: 503, body: "" }, /^HTTP 503 from .*: \(empty body\)$/],
    ["an HTTP 502 with an error object but no message", { status: 502, body: '{"error": {"code": 1}}' }, /: \{"error": \{"code": 1\}\}$/],
    ["an HTTP 204, which has no body", { status: 204, body: "" }, /is not JSON: \(empty body\)$/],
  ] as const)("%s uses up an attempt and the same request is sent again", async (_, canned, problem) => {
    const { endpoint, received } = await serve([canned, chat(fenced(VALID))]);
    const result = await draftContract(INTENT, { endpoint, model: "m" });
    expect(result.ok).toBe(true);
    expect(result.attempts[0]).toMatchObject({ reply: null, yaml: null, problems: [expect.stringMatching(problem)] });
    expect(received[1]?.body).toEqual(received[0]?.body);
  });

  test.each([
    ["a body that is not JSON", { body: "x".repeat(500) }, "llm_bad_response", /is not JSON: x+\.\.\. \(after 2 attempts\)$/, /\/v1/],
    [
      "an HTTP 500",
      { status: 500, body: "Internal Server Error" },
      "llm_http_error",
      /^HTTP 500 from .*\(after 2 attempts\)$/,
      /look at its log/,
    ],
  ] as const)("%s every time throws an IoError naming the endpoint", async (_, canned, code, message, hint) => {
    const { endpoint } = await serve([canned, canned]);
    const error = await thrown(draftContract(INTENT, { endpoint, model: "m", maxAttempts: 2 }));
    expect(error).toBeInstanceOf(IoError);
    expect(error).toMatchObject({ code, message: expect.stringMatching(message), hint: expect.stringMatching(hint) });
    expect(error.message).toContain(endpoint);
  });

  test("a 50 MB reply is read only to MAX_REPLY_BYTES: the attempt says so and the same request is sent again", async () => {
    const { endpoint, received, streamed } = await serve([{ stream: 50_000_000 }, chat(fenced(VALID))]);
    const result = await draftContract(INTENT, { endpoint, model: "m" });
    expect(result.ok).toBe(true);
    expect(result.attempts[0]).toEqual({
      attempt: 1,
      outcome: "reply_too_large",
      problems: [`the reply from ${endpoint}/chat/completions is over ${MAX_REPLY_BYTES} bytes; reading stopped there`],
      reply: null,
      yaml: null,
    });
    expect(received[1]?.body).toEqual(received[0]?.body);
    // The client stopped reading, so the server never got to the end of its 50 MB.
    expect(streamed[0]?.finished).toBe(false);
    expect(streamed[0]?.bytes).toBeLessThan(50_000_000);
  });

  test.each([
    ["exactly MAX_REPLY_BYTES is read whole", 0, "valid"],
    ["one byte more is too large", 1, "reply_too_large"],
  ])("a reply of %s", async (_, extra, outcome) => {
    const base = chat(fenced(VALID)) as { body: string };
    // Spaces after the JSON pad the body to the size wanted; JSON.parse ignores them.
    const body = base.body + " ".repeat(MAX_REPLY_BYTES - Buffer.byteLength(base.body) + extra);
    const { endpoint } = await serve([{ body }, chat(fenced(VALID))]);
    const result = await draftContract(INTENT, { endpoint, model: "m" });
    expect(result.attempts[0]?.outcome).toBe(outcome);
  });

  test("a reply too large every time throws llm_reply_too_large, with a hint", async () => {
    const huge = { body: "x".repeat(2 * MAX_REPLY_BYTES) };
    const { endpoint } = await serve([huge, huge]);
    const error = await thrown(draftContract(INTENT, { endpoint, model: "m", maxAttempts: 2 }));
    expect(error).toBeInstanceOf(IoError);
    expect(error).toMatchObject({
      code: "llm_reply_too_large",
      message: expect.stringMatching(/is over 1000000 bytes; reading stopped there \(after 2 attempts\)$/),
      hint: expect.stringContaining("repeating itself"),
    });
  });

  test("what goes back to the model is bounded: the reply cut to MAX_ECHO_CHARS, at most MAX_PROBLEMS_SENT problems, each cut", async () => {
    // 21 valid columns with 80-character names, so a problem that lists them is long; then an
    // unknown column, a 200,000-term expression (400 KB) and 20 impossible sds: 22 problems.
    const names = Array.from({ length: 21 }, (_, i) => `k${i}_`.padEnd(80, "a"));
    const spec = [
      "num_samples: 10",
      "columns:",
      ...names.map((n) => `  ${n}: {distribution: constant, params: {value: 1}}`),
      '  z: {expr: "q + 1"}',
      `  y: {expr: "${Array.from({ length: 200_000 }, () => "z").join("+")}"}`,
      ...Array.from({ length: 20 }, (_, i) => `  b${i}: {distribution: normal, params: {mean: 0, sd: 0}}`),
      "",
    ].join("\n");
    const reply = fenced(spec);
    const { endpoint, received } = await serve([chat(reply), chat(fenced(VALID))]);
    const result = await draftContract(INTENT, { endpoint, model: "m" });
    expect(result.ok).toBe(true);
    const problems = result.attempts[0]?.problems ?? [];
    expect(problems).toHaveLength(22);
    expect(problems[0]?.length).toBeGreaterThan(MAX_PROBLEM_CHARS);
    expect(problems[1]).toMatch(/^columns\.y\.expr: expression "z\+z.*"\.\.\. \(399999 characters\): nested deeper than 1000 levels/);

    const [, , assistant, user] = received[1]?.body.messages ?? [];
    expect(assistant?.content).toBe(
      `${reply.slice(0, MAX_ECHO_CHARS)}\n[... ${reply.length - MAX_ECHO_CHARS} more characters of this reply left out]`,
    );
    const lines = user?.content.split("\n") ?? [];
    expect(lines).toHaveLength(1 + MAX_PROBLEMS_SENT + 2);
    expect(lines[1]).toBe(`- ${problems[0]?.slice(0, MAX_PROBLEM_CHARS)}... (${problems[0]?.length} characters)`);
    expect(lines.slice(2, MAX_PROBLEMS_SENT + 1)).toEqual(problems.slice(1, MAX_PROBLEMS_SENT).map((p) => `- ${p}`));
    expect(lines[MAX_PROBLEMS_SENT + 1]).toBe("- ... and 2 more problems");
    // The whole second request: the system prompt, the intent, the echo and the problems.
    expect(JSON.stringify(received[1]?.body).length).toBeLessThan(draftSystemPrompt().length + MAX_ECHO_CHARS + 15_000);
  });

  test("a server slower than timeoutMs times out each attempt, then throws", async () => {
    const { endpoint, received } = await serve(["hang", "headers-then-hang"]);
    const error = await thrown(draftContract(INTENT, { endpoint, model: "m", maxAttempts: 2, timeoutMs: 150 }));
    expect(received).toHaveLength(2); // the timeout also covers a body that stops half way
    expect(error).toBeInstanceOf(IoError);
    expect(error).toMatchObject({
      code: "llm_timeout",
      message: `no complete reply from ${endpoint} within 150 ms (after 2 attempts)`,
      hint: expect.stringContaining("raise the timeout"),
    });
  });

  test("one attempt that times out says so in the singular, and leaves no socket open", async () => {
    const before = process.getActiveResourcesInfo();
    const { endpoint } = await serve(["hang"]);
    const error = await thrown(draftContract(INTENT, { endpoint, model: "m", maxAttempts: 1, timeoutMs: 100 }));
    expect(error.message).toMatch(/within 100 ms \(after 1 attempt\)$/);
    const server = servers.pop() as Server;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 50)); // for the client's socket to see the close
    // No new socket may remain (sockets of earlier tests may still be closing). AbortSignal.timeout's
    // timer is unref'd, so it cannot hold the process open either.
    const after = process.getActiveResourcesInfo();
    for (const kind of ["TCPSocketWrap", "TCPServerWrap"]) expect(count(after, kind), kind).toBeLessThanOrEqual(count(before, kind));
  });

  test("a timeout after a draft: ok false with that draft and the timeout as the problem", async () => {
    const { endpoint } = await serve([chat(fenced(INVALID)), "hang"]);
    const result = await draftContract(INTENT, { endpoint, model: "m", maxAttempts: 2, timeoutMs: 150 });
    expect(result).toMatchObject({ ok: false, yaml: INVALID, problems: [expect.stringContaining("within 150 ms")] });
    expect(outcomes(result.attempts)).toEqual(["invalid_spec", "timeout"]);
  });

  test.each([
    [404, '{"error": {"message": "model \\"codestral\\" not found, try pulling it first"}}', /model "codestral" not found/, /ollama pull/],
    [400, '{"error": "invalid request"}', /: invalid request$/, /\/v1/],
    [401, "Unauthorized", /: Unauthorized$/, /^the server wants an API key: .* pass --api-key-env VAR \(library: the apiKey option\)$/],
    [403, "", /\(empty body\)$/, /--api-key-env VAR/],
  ])("HTTP %i throws at once, with the server's message", async (status, body, message, hint) => {
    const { endpoint, received } = await serve([{ status, body }]);
    const error = await thrown(draftContract(INTENT, { endpoint, model: "codestral" }));
    expect(received).toHaveLength(1);
    expect(error).toBeInstanceOf(IoError);
    expect(error).toMatchObject({ code: "llm_http_error", message: expect.stringMatching(message), hint: expect.stringMatching(hint) });
    expect(error.message).toContain(`HTTP ${status} from ${endpoint}/chat/completions`);
  });

  test("a refused connection throws at once, naming the endpoint and how to start a server", async () => {
    const { endpoint } = await serve([]);
    const server = servers.pop() as Server;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const attempts: DraftAttempt[] = [];
    const error = await thrown(draftContract(INTENT, { endpoint, model: "m", onAttempt: (a) => attempts.push(a) }));
    expect(error).toBeInstanceOf(IoError);
    expect(error).toMatchObject({
      code: "llm_unreachable",
      message: expect.stringMatching(new RegExp(`^cannot reach the model server at ${endpoint}: .*ECONNREFUSED`)),
      hint: expect.stringContaining("ollama serve"),
    });
    expect(attempts).toEqual([]);
  });

  test("any other fetch failure is reported with its own message", async () => {
    const spy = vi.spyOn(globalThis, "fetch").mockRejectedValueOnce(new TypeError("something new"));
    try {
      const error = await thrown(draftContract(INTENT, { endpoint: "http://127.0.0.1:9/v1", model: "m" }));
      expect(error).toMatchObject({
        code: "llm_unreachable",
        message: "cannot reach the model server at http://127.0.0.1:9/v1: something new",
      });
    } finally {
      spy.mockRestore();
    }
  });

  test.each([
    ["an empty intent", " ", {}, "bad_intent", /empty/],
    ["a bare host", "localhost:11434", {}, "bad_endpoint", /"localhost:11434" is not an http\(s\) URL/],
    ["not a URL", "my server", {}, "bad_endpoint", /"my server"/],
    ["another protocol", "ftp://localhost/v1", {}, "bad_endpoint", /"ftp:\/\/localhost\/v1"/],
    ["an empty model", "http://localhost:11434/v1", { model: " " }, "bad_model", /model name is empty/],
    ["zero attempts", "http://localhost:11434/v1", { maxAttempts: 0 }, "bad_attempts", /maxAttempts is 0/],
    ["fractional attempts", "http://localhost:11434/v1", { maxAttempts: 1.5 }, "bad_attempts", /maxAttempts is 1\.5/],
    ["too many attempts", "http://localhost:11434/v1", { maxAttempts: 11 }, "bad_attempts", /from 1 to 10/],
    ["a zero timeout", "http://localhost:11434/v1", { timeoutMs: 0 }, "bad_timeout", /timeoutMs is 0/],
    ["a timeout over a day", "http://localhost:11434/v1", { timeoutMs: 86_400_001 }, "bad_timeout", /from 1 to 86400000/],
    [
      "credentials in the endpoint",
      "http://me:secret@localhost/v1",
      {},
      "bad_endpoint",
      /^the endpoint has a user name or password in it$/,
    ],
    ["a password in the endpoint", "http://:secret@localhost/v1", {}, "bad_endpoint", /user name or password/],
    ["a user name in the endpoint", "http://me@localhost/v1", {}, "bad_endpoint", /user name or password/],
    ["an API key with a line break", "http://localhost:11434/v1", { apiKey: "sk-1\nx" }, "bad_api_key", /^the API key is empty or has/],
    ["an empty API key", "http://localhost:11434/v1", { apiKey: "" }, "bad_api_key", /empty/],
  ])("rejects %s with an InputError before any request", async (_, endpoint, extra, code, message) => {
    const intent = code === "bad_intent" ? endpoint : INTENT;
    const error = await thrown(draftContract(intent, { endpoint: code === "bad_intent" ? "http://x/v1" : endpoint, model: "m", ...extra }));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code, message: expect.stringMatching(message), hint: expect.any(String) });
  });
});

test("credentials in the endpoint: the hint names the --api-key-env flag and the apiKey option", async () => {
  const error = await thrown(draftContract(INTENT, { endpoint: "http://me:secret@localhost/v1", model: "m" }));
  expect((error as InputError).hint).toBe(
    "leave them out of the URL; put the key in an environment variable and pass --api-key-env VAR (library: the apiKey option)",
  );
});

describe("draftFileText", () => {
  const meta = { model: "codestral", endpoint: "http://localhost:11434/v1" };
  const header = "# Draft from codestral at http://localhost:11434/v1; review before running. Not run.";
  const attempts: DraftAttempt[] = [];

  test("a valid draft: the header, then the YAML, which still parses to the same spec", () => {
    const spec = contractSchema.parse(parse(VALID));
    const text = draftFileText({ ok: true, yaml: VALID, spec, attempts }, meta);
    expect(text).toBe(`${header}\n${VALID}`);
    expect(contractSchema.parse(parse(text))).toEqual(spec);
  });

  test("adds a final newline and keeps the header on one line", () => {
    const spec = contractSchema.parse(parse(VALID));
    const text = draftFileText({ ok: true, yaml: "seed: 1", spec, attempts }, { model: "a\nb", endpoint: meta.endpoint });
    expect(text).toBe("# Draft from a b at http://localhost:11434/v1; review before running. Not run.\nseed: 1\n");
  });

  test.each([
    ["with YAML", INVALID, `${INVALID}`],
    ["without YAML", null, ""],
  ])("an invalid draft %s lists its problems as comments", (_, yaml, body) => {
    const result: DraftResult = { ok: false, yaml, attempts: [], problems: ["columns.noise.params.sd: normal.sd is 0,\nnot positive"] };
    expect(draftFileText(result, meta)).toBe(
      `${header}\n# NOT A VALID SPEC after 0 attempt(s); \`synthproof spec check\` shows each problem's line:\n#   - columns.noise.params.sd: normal.sd is 0, not positive\n${body}`,
    );
  });
});
