// Where each rule's page lives. Pages ship in the repository and the vsix under docs/rules/.

import * as path from 'node:path';

/** Absolute path of a rule page, relative to the installed extension or checkout. */
export function ruleDocPath(rule: string, root: string): string {
  return path.join(root, 'docs', 'rules', `${rule}.md`);
}

/** A URL for `codeDescription.href`: a file URI to the shipped page. */
export function ruleDocUri(rule: string, root: string): string {
  return `file://${ruleDocPath(rule, root).split(path.sep).join('/')}`;
}
