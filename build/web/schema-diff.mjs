// build/web/schema-diff.mjs — the breaking-change check of the public schema.
//
//   node build/web/schema-diff.mjs <released.graphql> <current.graphql>
//
// Compares two SDL files with graphql-js's findBreakingChanges / findDangerousChanges (the same
// rules as graphql-inspector's "breaking" criticality: removed or renamed types and fields, changed
// types, new required arguments or input fields, removed enum values …). Prints every change and
// exits 1 when one is breaking, 0 otherwise (dangerous changes are reported, not fatal).
import { readFileSync } from "node:fs";
import { buildSchema, findBreakingChanges, findDangerousChanges } from "graphql";

const [releasedPath, currentPath] = process.argv.slice(2);
if (!releasedPath || !currentPath) {
  console.error("usage: schema-diff.mjs <released.graphql> <current.graphql>");
  process.exit(2);
}

const load = (path) => buildSchema(readFileSync(path, "utf8"), { assumeValidSDL: false });
const released = load(releasedPath);
const current = load(currentPath);
const breaking = findBreakingChanges(released, current);
const dangerous = findDangerousChanges(released, current);

for (const change of breaking) console.log(`BREAKING  ${change.type}: ${change.description}`);
for (const change of dangerous) console.log(`dangerous ${change.type}: ${change.description}`);
console.log(`${breaking.length} breaking, ${dangerous.length} dangerous change(s) against ${releasedPath}`);
process.exit(breaking.length > 0 ? 1 : 0);
