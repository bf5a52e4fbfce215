#!/usr/bin/env node
// Faultline command line: `faultline check PATHS...`, `faultline simulate FILE[:FUNCTION]`.
require('../dist/cli.js');
