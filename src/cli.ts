#!/usr/bin/env node
import { runCli } from './cli/main.js'

// Exit explicitly: keep-alive sockets of the admin client must not hold a finished command open.
process.exit(await runCli(process.argv.slice(2)))
