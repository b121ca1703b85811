#!/usr/bin/env node
// Plain JS so the bin works before and after the TypeScript build; the CLI itself lives in dist.
import("../dist/cli/main.js").then((m) => m.main(process.argv.slice(2)));
