#!/usr/bin/env bash
# Rebuild ../static/editor.js from editor.js and the exact npm versions in package-lock.json, and
# ../static/editor.LICENSES.txt from the licence files of every package that went into the bundle.
# Needs node and npm (the registry); run after changing editor.js or a version, and commit both outputs.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
./node_modules/.bin/esbuild editor.js --bundle --minify --format=iife --target=es2020 \
  --legal-comments=none --metafile=node_modules/.meta.json --outfile=../static/editor.js
node - <<'JS'
const fs = require("fs");
const path = require("path");
const meta = JSON.parse(fs.readFileSync("node_modules/.meta.json", "utf8"));
const packages = new Set();
for (const input of Object.keys(meta.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.add(m[1]);
}
const parts = ["Third-party code bundled into editor.js (built by pipelines/web/editor/build.sh).\n"];
for (const name of [...packages].sort()) {
  const dir = path.join("node_modules", name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  if (!/^(MIT|ISC|BSD-[23]-Clause|Apache-2\.0|0BSD)$/.test(pkg.license)) {
    throw new Error(`${name} is licensed ${pkg.license}, not a permissive licence this build accepts`);
  }
  const file = fs.readdirSync(dir).find((f) => /^LICEN[CS]E/i.test(f));
  if (!file) throw new Error(`${name} ships no licence file`);
  parts.push(`${"=".repeat(78)}\n${name} ${pkg.version} (${pkg.license})\n${"=".repeat(78)}\n`);
  parts.push(fs.readFileSync(path.join(dir, file), "utf8").trim() + "\n");
}
fs.writeFileSync("../static/editor.LICENSES.txt", parts.join("\n"));
console.log(`editor.js: ${packages.size} packages: ${[...packages].sort().join(", ")}`);
JS
