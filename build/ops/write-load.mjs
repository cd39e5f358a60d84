#!/usr/bin/env node
// build/ops/write-load.mjs — a write load that knows exactly which writes were acknowledged.
//
//   node build/ops/write-load.mjs --hosts http://127.0.0.1:5201,http://127.0.0.1:5202 \
//        --key <admin key> --writers 8 --seconds 30 --run <id> --out acks.ndjson
//
// Each writer opens cases in a loop (openCase with a clientMutationId unique to the run, the
// writer and the attempt number), sending successive writes to the hosts in turn. A write that
// fails (connection refused or reset, timeout, HTTP 5xx, a GraphQL INTERNAL error) is retried with
// the SAME clientMutationId on the next host, with backoff, until it is acknowledged or
// --give-up-seconds have passed: the platform's idempotency must make the retry harmless. Only a
// 200 response carrying the case's id is an acknowledgement; each one is written to --out as one
// JSON line { cmid, caseId, host, at }.
//
// Prints one JSON summary line on stdout: attempts, acknowledged, retried, given up, errors by kind.
import { writeFileSync, appendFileSync } from "node:fs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith("--")) pairs.push([arg.slice(2), all[i + 1]?.startsWith("--") ? "true" : all[i + 1]]);
    return pairs;
  }, []),
);
const hosts = (args.hosts ?? "").split(",").filter(Boolean);
const key = args.key;
const writers = Number(args.writers ?? 8);
const seconds = Number(args.seconds ?? 30);
const giveUpSeconds = Number(args["give-up-seconds"] ?? 90);
const run = args.run ?? `${Date.now()}`;
const out = args.out ?? "acks.ndjson";
const timeoutMs = Number(args["timeout-ms"] ?? 10000);
if (hosts.length === 0 || !key) {
  console.error("usage: write-load.mjs --hosts URL[,URL...] --key KEY [--writers N] [--seconds S] [--run ID] [--out FILE]");
  process.exit(2);
}

writeFileSync(out, "");
const summary = { run, writers, seconds, attempts: 0, acknowledged: 0, retried: 0, gaveUp: 0, errors: {} };
const countError = (kind) => (summary.errors[kind] = (summary.errors[kind] ?? 0) + 1);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mutation =
  "mutation($input: OpenCaseInput!) { openCase(input: $input) { case { id reference } } }";

async function send(host, cmid) {
  summary.attempts++;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(`${host}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json", "x-api-key": key },
      body: JSON.stringify({
        query: mutation,
        variables: { input: { title: `Load ${cmid}`, countryCode: "CH", clientMutationId: cmid } },
      }),
      signal: controller.signal,
    });
    const text = await response.text();
    if (response.status !== 200) {
      countError(`http ${response.status}`);
      return null;
    }
    const body = JSON.parse(text);
    if (body.errors?.length) {
      countError(body.errors[0]?.extensions?.code ?? "graphql error");
      return null;
    }
    return body.data.openCase.case.id;
  } catch (e) {
    countError(e.name === "AbortError" ? "timeout" : (e.cause?.code ?? e.name));
    return null;
  } finally {
    clearTimeout(timer);
  }
}

async function writer(w) {
  const end = Date.now() + seconds * 1000;
  let next = w % hosts.length;
  for (let i = 0; Date.now() < end; i++) {
    const cmid = `load-${run}-${w}-${i}`;
    const giveUpAt = Date.now() + giveUpSeconds * 1000;
    for (let attempt = 0; ; attempt++) {
      const host = hosts[next];
      next = (next + 1) % hosts.length;
      const caseId = await send(host, cmid);
      if (caseId) {
        summary.acknowledged++;
        appendFileSync(out, JSON.stringify({ cmid, caseId, host, at: new Date().toISOString() }) + "\n");
        break;
      }
      if (attempt === 0) summary.retried++;
      if (Date.now() > giveUpAt) {
        summary.gaveUp++;
        break;
      }
      await sleep(Math.min(2000, 50 * 2 ** attempt));
    }
  }
}

await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
console.log(JSON.stringify(summary));
