#!/usr/bin/env node
// Faultline language server: `faultline-lsp --stdio`.
require('../dist/server.js');
