#!/usr/bin/env node
// The consh-book executable: runs the CLI and sets the exit code.

import { main } from "../cli.js";
import { processIo } from "../commands/io.js";

process.exitCode = await main(process.argv, processIo());
