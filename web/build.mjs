// Builds the web app into dist/: one script and one stylesheet named by their content's hash (so
// they can be cached for a year), each also precompressed with brotli and gzip, and index.html
// naming them. The server serves dist/ at / (src/Mediary/Web/WebApp.cs); nothing is fetched from
// anywhere else at run time.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const here = new URL(".", import.meta.url);
const dist = new URL("dist/", here);
await rm(dist, { recursive: true, force: true });
await mkdir(new URL("app/", dist), { recursive: true });

const result = await build({
  entryPoints: [new URL("src/main.ts", here).pathname, new URL("src/style.css", here).pathname],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  write: false,
  outdir: "out",
  logLevel: "warning",
});

const names = {};
for (const file of result.outputFiles) {
  const extension = file.path.endsWith(".css") ? "css" : "js";
  const hash = createHash("sha256").update(file.contents).digest("hex").slice(0, 16);
  const name = `app/main-${hash}.${extension}`;
  names[extension] = name;
  await writeFile(new URL(name, dist), file.contents);
  await writeFile(new URL(`${name}.br`, dist), brotliCompressSync(file.contents, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  await writeFile(new URL(`${name}.gz`, dist), gzipSync(file.contents, { level: 9 }));
}

const template = await readFile(new URL("src/index.html", here), "utf8");
await writeFile(new URL("index.html", dist), template.replace("{{css}}", `/${names.css}`).replace("{{js}}", `/${names.js}`));
console.log(`web app built: /${names.js}, /${names.css}`);
