// bench/tus-peer/server.mjs: the peer of bench/resumable-upload.sh, the official Node tus server as its
// README sets it up: @tus/server with @tus/file-store on a directory, nothing else (no auth, no hooks,
// the default in-memory locker). maxSize 2 GB, as Direct__VideoSizeLimit is for Mediary.
//
//   node bench/tus-peer/server.mjs PORT DIRECTORY    # prints its URL (http://127.0.0.1:PORT/files) once it listens
import { FileStore } from "@tus/file-store";
import { Server } from "@tus/server";

const [port, directory] = process.argv.slice(2);
if (!port || !directory) {
  console.error("usage: node server.mjs PORT DIRECTORY");
  process.exit(2);
}

const host = "127.0.0.1";
const path = "/files";
const server = new Server({ path, maxSize: 2_000_000_000, datastore: new FileStore({ directory }) });
server.listen({ host, port: Number(port) }, () => console.log(`http://${host}:${port}${path}`));
// bench/lib.sh stops what it started with SIGTERM; exit at once (no upload is in flight by then).
process.on("SIGTERM", () => process.exit(0));
