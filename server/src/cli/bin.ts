// Process entry of the `faultline` command (bundled to dist/cli.js).
import { main } from './main';

process.exitCode = main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
});
