#!/usr/bin/env node
// Plain JS so the bin runs as published; the scaffolder itself lives in dist.
import("../dist/main.js").then((m) => m.main(process.argv.slice(2)));
