#!/usr/bin/env node
// build/ops/check-writes.mjs — compares the writes a load acknowledged with what PostgreSQL holds.
//
//   node build/ops/check-writes.mjs --db postgresql://postgres@127.0.0.1:56432/omct_ops --run <id> --acks acks.ndjson
//
// Stored   = the cases.case_opened events whose clientMutationId belongs to the run (mt_events headers).
// Lost     = acknowledged writes that are not stored, or stored under another case id.
// Duplicated = clientMutationIds stored more than once (a retry that wrote twice).
// Prints "acknowledged N, stored N, lost N, duplicated N" and exits 1 unless lost = duplicated = 0.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith("--")) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
if (!args.db || !args.run || !args.acks) {
  console.error("usage: check-writes.mjs --db URL --run ID --acks FILE [--schema omct]");
  process.exit(2);
}
const schema = args.schema ?? "omct";
if (!/^[a-z_][a-z0-9_]*$/.test(schema) || !/^[A-Za-z0-9_-]+$/.test(args.run)) {
  console.error("check-writes: bad schema or run id");
  process.exit(2);
}

const acks = readFileSync(args.acks, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
const sql =
  `select headers->>'clientMutationId', stream_id from ${schema}.mt_events ` +
  `where type = 'cases.case_opened' and headers->>'clientMutationId' like 'load-${args.run}-%'`;
const rows = execFileSync("psql", [args.db, "-X", "-q", "-tA", "-F", ",", "-c", sql], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })
  .split("\n")
  .filter(Boolean)
  .map((line) => line.split(","));

const stored = new Map();
let duplicated = 0;
for (const [cmid, streamId] of rows) {
  if (stored.has(cmid)) duplicated++;
  else stored.set(cmid, streamId);
}

// Case ids in the API are opaque to clients; this operations tool knows their inside
// ("Case:<32 hex digits>" in base64url) to compare them with the stream ids.
const hexOf = (globalId) => /:([0-9a-f]{32})$/i.exec(Buffer.from(globalId, "base64url").toString("utf8"))?.[1]?.toLowerCase();

let lost = 0;
const lostExamples = [];
for (const ack of acks) {
  const streamId = stored.get(ack.cmid);
  if (!streamId || streamId.replaceAll("-", "").toLowerCase() !== hexOf(ack.caseId)) {
    lost++;
    if (lostExamples.length < 5) lostExamples.push(ack);
  }
}

console.log(`acknowledged ${acks.length}, stored ${stored.size}, lost ${lost}, duplicated ${duplicated}`);
if (lostExamples.length) console.log(`lost, for example: ${JSON.stringify(lostExamples)}`);
process.exit(lost === 0 && duplicated === 0 ? 0 : 1);
