// A real SMTP server for the digest delivery tests (smtp-server + mailparser from npm).
//
//   node smtp-sink.mjs --dir <directory> [--port 0]
//
// Listens on 127.0.0.1 (port 0: a free one), accepts every message without authentication or TLS,
// and writes each one to <directory>/<n>.json: { envelope: { from, to }, messageId, subject, from,
// to, text, html, headers, raw }. A recipient whose local part starts with "reject" is refused with
// 550 (a permanent failure), one starting with "busy" with 451 (a temporary one). Prints
// "listening <port>" on stdout once ready; stops on SIGTERM, SIGINT or when stdin closes.
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import { mkdirSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const dir = option("dir", null);
if (!dir) {
  console.error("usage: node smtp-sink.mjs --dir <directory> [--port 0]");
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onRcptTo(address, session, callback) {
    const local = address.address.split("@")[0];
    if (local.startsWith("reject")) {
      const error = new Error("mailbox unavailable");
      error.responseCode = 550;
      return callback(error);
    }
    if (local.startsWith("busy")) {
      const error = new Error("try again later");
      error.responseCode = 451;
      return callback(error);
    }
    return callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("end", async () => {
      try {
        const raw = Buffer.concat(chunks);
        const mail = await simpleParser(raw);
        const n = ++count;
        const record = {
          envelope: { from: session.envelope.mailFrom?.address ?? null, to: session.envelope.rcptTo.map((r) => r.address) },
          messageId: mail.messageId ?? null,
          subject: mail.subject ?? null,
          from: mail.from?.text ?? null,
          to: mail.to?.text ?? null,
          text: mail.text ?? null,
          html: typeof mail.html === "string" ? mail.html : null,
          headers: Object.fromEntries([...mail.headers].map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
          raw: raw.toString("utf8"),
        };
        const file = join(dir, `${String(n).padStart(6, "0")}.json`);
        writeFileSync(file + ".tmp", JSON.stringify(record));
        renameSync(file + ".tmp", file); // whole files only: a reader never sees half a message
        callback();
      } catch (error) {
        callback(error);
      }
    });
  },
});

server.on("error", (error) => console.error(`smtp-sink: ${error.message}`));
server.listen(Number(option("port", "0")), "127.0.0.1", () => {
  console.log(`listening ${server.server.address().port}`);
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
