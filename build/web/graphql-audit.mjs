#!/usr/bin/env node
// GraphQL-over-HTTP conformance audit of a running server, using the audits
// shipped by graphql-http (https://graphql.github.io/graphql-over-http/).
//
// Usage:
//   node build/web/graphql-audit.mjs <url> [-H 'Name: value']...
//   e.g. node build/web/graphql-audit.mjs http://127.0.0.1:5080/graphql -H 'X-Api-Key: secret'
//
// Output: one line per audit
//   PASS|FAIL|WARN  MUST|SHOULD|MAY  <name>
// followed, for FAIL/WARN, by an indented reason line, then the summary
//   audit: N passed, N failed (MUST/SHOULD), N MAY not met
//
// Exit codes:
//   0  every MUST and SHOULD audit passed (a MAY that is not met is only a warning)
//   1  at least one MUST or SHOULD audit failed
//   2  usage error, or the server could not be reached at all
//
// How graphql-http reports results (lib/audits/utils.js, 1.23.x): each audit's
// fn() resolves to { id, name, status } where status is 'ok', or for a failed
// assertion 'error' (name starts with MUST), 'warn' (SHOULD) or 'notice' (MAY).
// Anything else (network failure, ...) is thrown as a fatal error; we run the
// audits one by one so one fatal error does not hide the other results, and
// count a fatal error as a failure whatever the level.

import { serverAudits } from 'graphql-http';

const TIMEOUT_MS = Number(process.env.GRAPHQL_AUDIT_TIMEOUT_MS || 15000);

function usage(msg) {
  if (msg) console.error(`graphql-audit: ${msg}`);
  console.error("usage: node graphql-audit.mjs <url> [-H 'Name: value']...");
  process.exit(2);
}

// ---- arguments -------------------------------------------------------------
const args = process.argv.slice(2);
let url;
const extraHeaders = {};
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '-h' || a === '--help') usage();
  if (a === '-H' || a === '--header') {
    const h = args[++i];
    const idx = h ? h.indexOf(':') : -1;
    if (idx <= 0) usage(`bad header ${JSON.stringify(h)} (expected 'Name: value')`);
    extraHeaders[h.slice(0, idx).trim()] = h.slice(idx + 1).trim();
  } else if (!url) {
    url = a;
  } else {
    usage(`unexpected argument ${JSON.stringify(a)}`);
  }
}
if (!url) usage('missing <url>');
try {
  new URL(url);
} catch {
  usage(`not a valid URL: ${url}`);
}

// fetch with a timeout and the extra headers (extra headers never override the
// audit's own content-type/accept, which are what is being tested).
async function fetchFn(input, init = {}) {
  const headers = new Headers(init.headers || {});
  for (const [k, v] of Object.entries(extraHeaders)) {
    if (!headers.has(k)) headers.set(k, v);
  }
  return fetch(input, { ...init, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

function describeError(err) {
  // Node's fetch wraps the socket error in err.cause (ECONNREFUSED, ...)
  const cause = err && err.cause;
  const parts = [err && err.message ? err.message : String(err)];
  if (cause) parts.push(cause.code || cause.message || String(cause));
  return parts.join(': ');
}

async function describeResponse(res) {
  if (!res || typeof res.status !== 'number') return '';
  let body = '';
  try {
    body = (await res.clone().text()).replace(/\s+/g, ' ').trim();
  } catch {
    /* body already consumed */
  }
  if (body.length > 200) body = body.slice(0, 200) + '...';
  const ct = res.headers.get('content-type') || '-';
  return ` [HTTP ${res.status}, content-type ${ct}${body ? `, body ${body}` : ''}]`;
}

// ---- preflight: is anything listening? --------------------------------------
try {
  await fetchFn(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
} catch (err) {
  console.error(`graphql-audit: cannot reach ${url}: ${describeError(err)}`);
  console.log('audit: 0 passed, 1 failed (MUST/SHOULD), 0 MAY not met');
  process.exit(2);
}

// ---- run the audits ---------------------------------------------------------
const audits = serverAudits({ url, fetchFn });
let passed = 0;
let failed = 0;
let mayNotMet = 0;

for (const { id, name, fn } of audits) {
  const level = name.split(' ', 1)[0]; // MUST | SHOULD | MAY
  const text = name.slice(level.length + 1);
  let result;
  try {
    result = await fn();
  } catch (err) {
    // fatal (not an assertion): counts as a failure at any level
    result = { id, name, status: 'error', reason: `fatal: ${describeError(err)}` };
  }

  let verdict;
  if (result.status === 'ok') {
    verdict = 'PASS';
    passed++;
  } else if (level === 'MAY' && !String(result.reason).startsWith('fatal:')) {
    verdict = 'WARN';
    mayNotMet++;
  } else {
    verdict = 'FAIL'; // any non-ok MUST or SHOULD ('error' or 'warn')
    failed++;
  }

  console.log(`${verdict}  ${level}  ${text}`);
  if (verdict !== 'PASS') {
    console.log(`      reason (audit ${id}): ${result.reason}${await describeResponse(result.response)}`);
  }
}

console.log(`audit: ${passed} passed, ${failed} failed (MUST/SHOULD), ${mayNotMet} MAY not met`);
process.exitCode = failed > 0 ? 1 : 0;
