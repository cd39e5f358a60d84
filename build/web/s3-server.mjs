// An S3-compatible server for the files tests (s3rver from npm): the S3 backend stores its chunks in it.
//
//   node s3-server.mjs --dir <directory> --bucket <name> [--port 0]
//
// Listens on 127.0.0.1 (port 0: a free one), keeps the objects under <directory>, creates the bucket,
// accepts the access key S3RVER / secret S3RVER (s3rver's own) and checks request signatures. Prints
// "listening <port>" on stdout once ready; stops on SIGTERM, SIGINT or when stdin closes.
import S3rver from "s3rver";
import { mkdirSync } from "node:fs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const dir = option("dir", null);
const bucket = option("bucket", null);
if (!dir || !bucket) {
  console.error("usage: node s3-server.mjs --dir <directory> --bucket <name> [--port 0]");
  process.exit(2);
}
mkdirSync(dir, { recursive: true });

const server = new S3rver({
  address: "127.0.0.1",
  port: Number(option("port", "0")),
  directory: dir,
  silent: true,
  configureBuckets: [{ name: bucket }],
});
const { port } = await server.run();
console.log(`listening ${port}`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
