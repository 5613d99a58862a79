/**
 * `spec draft`: asks a chat model the user runs locally (Ollama, llama.cpp, vLLM: anything that
 * speaks the OpenAI chat API) to write a spec from a sentence, checks the reply as untrusted input
 * with the same schema as `spec check`, and sends the problems back for a bounded number of
 * retries. The draft is for a person to review: nothing here runs it or writes a file.
 */
import { parseDocument } from "yaml";
import { ConfigError, checkConfig } from "../../core/config.js";
import { formatPath, InputError, IoError } from "../../core/errors.js";
import { type Contract, contractSchema } from "./contract-schema.js";
import { draftSystemPrompt } from "./draft-prompt.js";

export { draftSystemPrompt };

/** What became of one request: `valid`, a fault of the model's draft, or a fault of the server. */
export type DraftOutcome =
  /** The draft is a valid spec. */
  | "valid"
  /** No fenced block, and the reply itself is not a YAML mapping. */
  | "no_yaml"
  /** The YAML does not parse (syntax, duplicate keys, too many aliases). */
  | "yaml_syntax"
  /** The YAML parses to a list or a scalar, not a mapping. */
  | "not_mapping"
  /** A mapping that fails the spec schema; `problems` name each key path. */
  | "invalid_spec"
  /** HTTP 5xx (4xx is not retried: {@link draftContract} throws). */
  | "http_error"
  /** No complete reply within `timeoutMs`. */
  | "timeout"
  /** A body that is not JSON, or has no `choices[0].message.content`. */
  | "bad_response"
  /** A body over {@link MAX_REPLY_BYTES}: reading stopped there. */
  | "reply_too_large";

/** One request to the model and what was wrong with its answer. */
export interface DraftAttempt {
  /** 1 for the first request. */
  readonly attempt: number;
  readonly outcome: DraftOutcome;
  /** Empty when valid; for a spec, `key.path: message` lines (the ones sent back to the model). */
  readonly problems: readonly string[];
  /** The model's whole reply text, or null when the server gave none. */
  readonly reply: string | null;
  /** The YAML taken out of the reply, or null when there was none. */
  readonly yaml: string | null;
}

/** Where to send the request and how hard to try. */
export interface DraftOptions {
  /** Base URL of an OpenAI-compatible API, e.g. `http://localhost:11434/v1`; `/chat/completions` is appended. */
  readonly endpoint: string;
  /** Model name as the server knows it, e.g. `codestral`. */
  readonly model: string;
  /** Requests in all, counting retries: 1 to 10, default 3. */
  readonly maxAttempts?: number;
  /** Milliseconds to wait for each whole reply: 1 to 86400000, default 60000 (a local model may be loading). */
  readonly timeoutMs?: number;
  /** Sent as `Authorization: Bearer <apiKey>` when given. */
  readonly apiKey?: string;
  /** Called after each attempt, e.g. to print progress. */
  readonly onAttempt?: (attempt: DraftAttempt) => void;
}

/** A valid spec with its YAML as the model wrote it, or the last draft and why it is not valid. */
export type DraftResult =
  | { readonly ok: true; readonly yaml: string; readonly spec: Contract; readonly attempts: readonly DraftAttempt[] }
  | { readonly ok: false; readonly yaml: string | null; readonly attempts: readonly DraftAttempt[]; readonly problems: readonly string[] };

/**
 * Most bytes read of one reply: a spec is a few KB, so this leaves room for a chatty model, and a
 * server that streams without end (or a 50 MB reply) stops being read here.
 */
export const MAX_REPLY_BYTES = 1_000_000;

/**
 * Most characters of a reply sent back to the model with its problems; the rest is left out with a
 * note, so each retry adds at most this much (plus the problems) to the conversation.
 */
export const MAX_ECHO_CHARS = 20_000;

/** Most problems sent back on a retry, each cut to {@link MAX_PROBLEM_CHARS}. */
export const MAX_PROBLEMS_SENT = 20;

/** Most characters of one problem sent back. */
export const MAX_PROBLEM_CHARS = 500;

const DEFAULT_ATTEMPTS = 3;
const MAX_ATTEMPTS = 10;
const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_TIMEOUT_MS = 86_400_000;
const START_HINT =
  "is the model server running and listening there? Ollama: `ollama serve` (endpoint http://localhost:11434/v1); llama.cpp: `llama-server --port 8080` (endpoint http://localhost:8080/v1)";
const BASE_URL_HINT =
  "give the OpenAI-compatible base URL, usually ending in /v1 (Ollama: http://localhost:11434/v1), and a model the server has (Ollama: `ollama pull <model>`)";
const API_KEY_HINT = "put the key in an environment variable and pass --api-key-env VAR (library: the apiKey option)";
type RetryOutcome = "http_error" | "timeout" | "bad_response" | "reply_too_large";
const RETRY_HINTS: Record<RetryOutcome, string> = {
  http_error: "the server failed to answer: look at its log; the model may not fit in memory (try a smaller one)",
  timeout: "a local model can take minutes to load on first use: raise the timeout, or try a smaller model",
  bad_response: `the server does not answer like an OpenAI chat API: ${BASE_URL_HINT}`,
  reply_too_large: `a spec is a few KB: the model may be repeating itself (try another model), or the endpoint is not a chat API (${BASE_URL_HINT})`,
};
const RETRY_CODES: Record<RetryOutcome, string> = {
  http_error: "llm_http_error",
  timeout: "llm_timeout",
  bad_response: "llm_bad_response",
  reply_too_large: "llm_reply_too_large",
};

/**
 * Takes the spec out of a model's reply: the first ```yaml (or ```yml) fenced block, else the first
 * fenced block of any language, else the whole reply. Fences count only at the start of a line; an
 * unclosed fence runs to the end of the reply.
 *
 * @example extractYaml("Here:\n```yaml\nseed: 1\n```") // { text: "seed: 1\n", fenced: true }
 */
export function extractYaml(reply: string): { readonly text: string; readonly fenced: boolean } {
  // Fences open and close at the start of a line, so a ``` quoted inside a sentence is not one.
  const blocks = [...reply.matchAll(/^[ \t]*```[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)(?:^[ \t]*```|(?![\s\S]))/gm)];
  const block = blocks.find((m) => /^ya?ml$/i.test(m[1] as string)) ?? blocks[0];
  return block ? { text: block[2] as string, fenced: true } : { text: reply, fenced: false };
}

type Verdict =
  | { readonly outcome: "valid"; readonly problems: string[]; readonly yaml: string; readonly spec: Contract }
  | {
      readonly outcome: "no_yaml" | "yaml_syntax" | "not_mapping" | "invalid_spec";
      readonly problems: string[];
      readonly yaml: string | null;
    };

/** Parses and checks one reply; the outcome is the model's fault or `valid`. */
function judge(reply: string): Verdict {
  const { text, fenced } = extractYaml(reply);
  const noYaml = {
    outcome: "no_yaml" as const,
    problems: ["the reply has no YAML spec: no ```yaml block, and the reply itself is not a YAML mapping"],
    yaml: null,
  };
  const doc = parseDocument(text, { uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    if (!fenced) return noYaml;
    return { outcome: "yaml_syntax", problems: [`YAML syntax error: ${error.message.split("\n")[0]}`], yaml: text };
  }
  let value: unknown;
  try {
    value = doc.toJS(); // throws on an alias bomb (yaml's maxAliasCount)
  } catch (cause) {
    return { outcome: "yaml_syntax", problems: [`YAML error: ${(cause as Error).message}`], yaml: text };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    if (!fenced) return noYaml;
    return {
      outcome: "not_mapping",
      problems: ["the YAML is not a mapping: a spec starts with keys like num_samples and columns"],
      yaml: text,
    };
  }
  try {
    return { outcome: "valid", problems: [], yaml: text, spec: checkConfig(contractSchema, value, undefined, "spec") };
  } catch (cause) {
    if (!(cause instanceof ConfigError)) throw cause;
    const problems = cause.problems.map(({ path, message }) => {
      // checkConfig puts the path in front of zod's own messages but not of custom ones.
      const where = formatPath(path);
      return message.startsWith(`${where}: `) ? message : `${where}: ${message}`;
    });
    return { outcome: "invalid_spec", problems, yaml: text };
  }
}

/** The server's own error text: OpenAI's `{error: {message}}`, Ollama's `{error}`, or the body. */
function serverMessage(body: string): string {
  let message: unknown = body;
  try {
    const json = JSON.parse(body) as { error?: { message?: unknown } | string };
    message = typeof json.error === "string" ? json.error : (json.error?.message ?? body);
  } catch {}
  const text = String(message).trim().replace(/\s+/g, " ");
  return text.length > 200 ? `${text.slice(0, 197)}...` : text || "(empty body)";
}

type Exchange =
  | { readonly kind: "reply"; readonly content: string }
  | { readonly kind: "retry"; readonly outcome: RetryOutcome; readonly problem: string };

/**
 * Reads at most `limit` bytes of a body and stops there, cancelling the rest: `complete` is false
 * when the body was longer. A body cut inside a UTF-8 sequence ends in U+FFFD.
 */
async function readBounded(response: Response, limit: number): Promise<{ text: string; complete: boolean }> {
  // A 204 or 304 has no body at all.
  if (response.body === null) return { text: "", complete: true };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: Buffer.concat(chunks).toString("utf8"), complete: true };
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      await reader.cancel();
      return { text: Buffer.concat(chunks).toString("utf8"), complete: false };
    }
    chunks.push(value);
    size += value.byteLength;
  }
}

/** One POST. Returns the reply or a failure worth retrying; throws when retrying cannot help. */
async function ask(url: string, endpoint: string, body: string, options: DraftOptions, timeoutMs: number): Promise<Exchange> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  let status: number;
  let text: string;
  let complete: boolean;
  try {
    // One signal covers the headers and the body.
    const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) });
    status = response.status;
    ({ text, complete } = await readBounded(response, MAX_REPLY_BYTES));
  } catch (error) {
    if ((error as Error).name === "TimeoutError") {
      return { kind: "retry", outcome: "timeout", problem: `no complete reply from ${endpoint} within ${timeoutMs} ms` };
    }
    // undici says "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND) in `cause`.
    const cause = (error as Error).cause;
    throw new IoError(
      "llm_unreachable",
      `cannot reach the model server at ${endpoint}: ${(cause instanceof Error ? cause : (error as Error)).message}`,
      {
        hint: START_HINT,
        cause: error,
      },
    );
  }
  if (status >= 500) return { kind: "retry", outcome: "http_error", problem: `HTTP ${status} from ${url}: ${serverMessage(text)}` };
  if (status >= 400) {
    // The same request would fail the same way: a wrong path, model name or key.
    throw new IoError("llm_http_error", `HTTP ${status} from ${url}: ${serverMessage(text)}`, {
      hint: status === 401 || status === 403 ? `the server wants an API key: ${API_KEY_HINT}` : BASE_URL_HINT,
    });
  }
  if (!complete) {
    return {
      kind: "retry",
      outcome: "reply_too_large",
      problem: `the reply from ${url} is over ${MAX_REPLY_BYTES} bytes; reading stopped there`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "retry", outcome: "bad_response", problem: `the reply from ${url} is not JSON: ${serverMessage(text)}` };
  }
  const content = (json as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message?.content;
  if (typeof content !== "string") {
    return { kind: "retry", outcome: "bad_response", problem: `the reply from ${url} has no choices[0].message.content` };
  }
  return { kind: "reply", content };
}

/** The model's reply as sent back to it: at most {@link MAX_ECHO_CHARS} characters. */
function echo(reply: string): string {
  if (reply.length <= MAX_ECHO_CHARS) return reply;
  return `${reply.slice(0, MAX_ECHO_CHARS)}\n[... ${reply.length - MAX_ECHO_CHARS} more characters of this reply left out]`;
}

/** The retry request: at most {@link MAX_PROBLEMS_SENT} problems, each cut to {@link MAX_PROBLEM_CHARS}. */
function correction(problems: readonly string[]): string {
  const lines = problems
    .slice(0, MAX_PROBLEMS_SENT)
    .map((p) => `- ${p.length <= MAX_PROBLEM_CHARS ? p : `${p.slice(0, MAX_PROBLEM_CHARS)}... (${p.length} characters)`}`);
  if (problems.length > MAX_PROBLEMS_SENT) lines.push(`- ... and ${problems.length - MAX_PROBLEMS_SENT} more problems`);
  return [
    "That reply is not a valid spec. Problems:",
    ...lines,
    "Reply with the complete corrected spec in one ```yaml block and nothing else.",
  ].join("\n");
}

function checkOptions(intent: string, options: DraftOptions): { url: string; maxAttempts: number; timeoutMs: number } {
  const bad = (code: string, message: string, hint: string) => new InputError(code, message, { hint });
  if (intent.trim() === "")
    throw bad("bad_intent", "the description of the data is empty", 'describe the columns, e.g. "x uniform on (0,1), y = 2x plus noise"');
  let url: URL | null = null;
  try {
    url = new URL(options.endpoint);
  } catch {}
  if (url?.protocol !== "http:" && url?.protocol !== "https:") {
    throw bad(
      "bad_endpoint",
      `endpoint ${JSON.stringify(options.endpoint)} is not an http(s) URL`,
      "e.g. http://localhost:11434/v1 (Ollama)",
    );
  }
  // fetch refuses URLs with credentials; the message leaves the endpoint out so as not to print them.
  if (url.username !== "" || url.password !== "") {
    throw bad("bad_endpoint", "the endpoint has a user name or password in it", `leave them out of the URL; ${API_KEY_HINT}`);
  }
  if (options.apiKey !== undefined && !/^[\x21-\x7e]+$/.test(options.apiKey)) {
    // Never echo the key itself.
    throw bad("bad_api_key", "the API key is empty or has spaces, line breaks or non-ASCII characters", "pass the key exactly as issued");
  }
  if (options.model.trim() === "") throw bad("bad_model", "the model name is empty", "name a model the server has, e.g. codestral");
  const maxAttempts = options.maxAttempts ?? DEFAULT_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
    throw bad(
      "bad_attempts",
      `maxAttempts is ${maxAttempts}, not a whole number from 1 to ${MAX_ATTEMPTS}`,
      `leave it out for ${DEFAULT_ATTEMPTS}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw bad(
      "bad_timeout",
      `timeoutMs is ${timeoutMs}, not a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (a day)`,
      `leave it out for ${DEFAULT_TIMEOUT_MS}`,
    );
  }
  return { url: `${url.href.replace(/\/+$/, "")}/chat/completions`, maxAttempts, timeoutMs };
}

/**
 * Asks the model at `options.endpoint` for a spec matching `intent`, and checks each reply with
 * the spec schema. A draft that is not valid (no YAML, bad syntax, schema problems) goes back to
 * the model with its problems, up to `maxAttempts` requests in all (default 3). A timeout (default
 * 60 s), an HTTP 5xx, a body that is not a chat reply or one over {@link MAX_REPLY_BYTES} (read no
 * further) also uses up an attempt and the same request is sent again; a refused connection or an
 * HTTP 4xx throws at once, since repeating the request cannot help. What goes back to the model is
 * bounded: at most {@link MAX_ECHO_CHARS} characters of its reply and {@link MAX_PROBLEMS_SENT}
 * problems of at most {@link MAX_PROBLEM_CHARS} characters each. Nothing is run and nothing is written.
 *
 * @returns `ok: true` with the first valid spec, or `ok: false` with the last draft (null if the
 *   model never gave YAML) and the last attempt's problems.
 * @throws InputError for an empty intent or model, an endpoint that is not an http(s) URL, or bad
 *   `maxAttempts` / `timeoutMs`.
 * @throws IoError naming the endpoint, with a hint, when the server cannot be reached
 *   (`llm_unreachable`), answers 4xx (`llm_http_error`), or no attempt got a reply from the model
 *   (`llm_timeout`, `llm_http_error`, `llm_bad_response`, `llm_reply_too_large`).
 * @example
 * const r = await draftContract("x uniform on (0,1), y = 2x plus standard normal noise", {
 *   endpoint: "http://localhost:11434/v1",
 *   model: "codestral",
 * });
 * if (r.ok) console.log(r.yaml);
 */
export async function draftContract(intent: string, options: DraftOptions): Promise<DraftResult> {
  const { url, maxAttempts, timeoutMs } = checkOptions(intent, options);
  const messages: { role: "system" | "user" | "assistant"; content: string }[] = [
    { role: "system", content: draftSystemPrompt() },
    { role: "user", content: `Write the spec for: ${intent.trim()}` },
  ];
  const attempts: DraftAttempt[] = [];
  let lastYaml: string | null = null;
  let modelReplied = false;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const exchange = await ask(
      url,
      options.endpoint,
      JSON.stringify({ model: options.model, messages, temperature: 0 }),
      options,
      timeoutMs,
    );
    if (exchange.kind === "retry") {
      const record: DraftAttempt = { attempt, outcome: exchange.outcome, problems: [exchange.problem], reply: null, yaml: null };
      attempts.push(record);
      options.onAttempt?.(record);
      continue;
    }
    modelReplied = true;
    const verdict = judge(exchange.content);
    const record: DraftAttempt = {
      attempt,
      outcome: verdict.outcome,
      problems: verdict.problems,
      reply: exchange.content,
      yaml: verdict.yaml,
    };
    attempts.push(record);
    options.onAttempt?.(record);
    lastYaml = verdict.yaml ?? lastYaml;
    if (verdict.outcome === "valid") return { ok: true, yaml: verdict.yaml, spec: verdict.spec, attempts };
    messages.push({ role: "assistant", content: echo(exchange.content) }, { role: "user", content: correction(verdict.problems) });
  }
  const last = attempts[attempts.length - 1] as DraftAttempt;
  if (!modelReplied) {
    const outcome = last.outcome as RetryOutcome;
    throw new IoError(RETRY_CODES[outcome], `${last.problems[0]} (after ${maxAttempts} attempt${maxAttempts === 1 ? "" : "s"})`, {
      hint: RETRY_HINTS[outcome],
    });
  }
  return { ok: false, yaml: lastYaml, attempts, problems: last.problems };
}

/**
 * The text of a draft file: a header saying where it came from and that it was not run, then the
 * YAML. A draft that is not valid also lists its problems as comments; one without YAML is
 * comments only.
 *
 * @example draftFileText(result, { model: "codestral", endpoint: "http://localhost:11434/v1" })
 */
export function draftFileText(result: DraftResult, meta: { readonly model: string; readonly endpoint: string }): string {
  const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
  const lines = [`# Draft from ${oneLine(meta.model)} at ${oneLine(meta.endpoint)}; review before running. Not run.`];
  if (!result.ok) {
    lines.push(`# NOT A VALID SPEC after ${result.attempts.length} attempt(s); \`synthproof spec check\` shows each problem's line:`);
    lines.push(...result.problems.map((p) => `#   - ${oneLine(p)}`));
  }
  const yaml = result.yaml ?? "";
  return `${lines.join("\n")}\n${yaml}${yaml === "" || yaml.endsWith("\n") ? "" : "\n"}`;
}
