#!/usr/bin/env node
/** The `synthproof` executable: the only place that calls process.exit. */
import { runCli } from "./run.js";

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
