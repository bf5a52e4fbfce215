// HTML for the "Simulate this fault path" webview: pure functions (no vscode import) so they can
// be unit-tested. Strict CSP (nothing remote, inline style and script only with the nonce), colours
// from the theme's --vscode-* variables, every server string escaped.

export interface TraceLike {
  mode: 'trace';
  handler: string;
  target: string;
  scenario: Record<string, string>;
  steps: { n: number; kind: string; text: string; citation?: string; confidence: string; source?: { uri?: string; file: string; line: number; character: number }; fork?: number }[];
  forks: { step: number; question: string; taken: string; alternatives: { choice: string; verdict?: { kind: string; summary: string }; path?: string; unexplored?: boolean }[] }[];
  verdict: { kind: string; summary: string };
  otherVerdicts?: string[];
}

export interface MatrixLike {
  mode: 'matrix';
  handler: string;
  targets: string[];
  levels: string[];
  backings: string[];
  scenario: Record<string, string>;
  cells: { level: string; backing: string; target: string; verdict: string; summary: string; other: string[] }[];
}

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 12px 16px; }
h1 { font-size: 1.15em; margin: 12px 0 4px; }
.scenario, .meta { color: var(--vscode-descriptionForeground); margin: 2px 0 8px; }
.toolbar button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 10px; margin-right: 6px; cursor: pointer; }
.toolbar button:hover { background: var(--vscode-button-hoverBackground); }
ol.steps { padding-left: 0; list-style: none; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
ol.steps li { margin: 2px 0; }
.n { display: inline-block; min-width: 2.5em; text-align: right; margin-right: 6px; color: var(--vscode-editorLineNumber-foreground); }
.where { color: var(--vscode-textLink-foreground); }
a.where { cursor: pointer; text-decoration: underline; }
.handler .text { font-weight: 600; }
.conf { color: var(--vscode-descriptionForeground); font-style: italic; }
ul.fork { list-style: none; margin: 2px 0 4px 3.5em; padding-left: 8px; border-left: 2px solid var(--vscode-editorWidget-border, var(--vscode-descriptionForeground)); }
.verdict { margin-top: 12px; padding: 8px; border-left: 4px solid var(--vscode-notificationsInfoIcon-foreground, var(--vscode-focusBorder)); background: var(--vscode-textBlockQuote-background); }
.verdict.bad { border-left-color: var(--vscode-errorForeground); }
.verdict.safe { border-left-color: var(--vscode-testing-iconPassed, var(--vscode-focusBorder)); }
.kind { font-weight: 700; }
table { border-collapse: collapse; margin: 6px 0 14px; }
th, td { border: 1px solid var(--vscode-editorWidget-border, var(--vscode-descriptionForeground)); padding: 3px 8px; text-align: left; }
td.bad { color: var(--vscode-errorForeground); font-weight: 600; }
td.safe { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); }
`;

const BAD = new Set(['BUG_ON', 'GUP_DEREFS_MISSING_STRUCT_PAGE', 'GUP_REFCOUNTS_DRIVER_PAGE', 'MISALIGNED_PFN', 'MAPS_BEYOND_VMA', 'SIGBUS', 'REFAULT_LOOP']);

function verdictClass(kind: string): string {
  return kind === 'SAFE' ? 'safe' : BAD.has(kind) ? 'bad' : '';
}

function page(nonce: string, title: string, body: string): string {
  const n = escapeHtml(nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${n}'; script-src 'nonce-${n}'; img-src 'none'; font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${n}">${STYLE}</style>
</head>
<body>
${body}
<script nonce="${n}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const t = e.target.closest('[data-action]');
  if (!t) return;
  e.preventDefault();
  const msg = { type: t.dataset.action };
  if (t.dataset.step) msg.step = Number(t.dataset.step);
  vscode.postMessage(msg);
});
</script>
</body>
</html>
`;
}

function toolbar(matrix: boolean): string {
  return `<div class="toolbar">${matrix ? '<button data-action="trace">Trace</button>' : '<button data-action="matrix">Matrix</button>'}<button data-action="scenario">Change scenario…</button>${matrix ? '' : '<button data-action="text">Open as text</button>'}</div>`;
}

function scenarioText(s: Record<string, string>): string {
  return Object.entries(s).map(([k, v]) => `${k}=${v}`).join(', ');
}

export function buildTraceHtml(t: TraceLike, nonce: string): string {
  const items = t.steps.map((s) => {
    const where = s.source
      ? `<a class="where" href="#" data-action="reveal" data-step="${s.n}" title="Go to the source line">${escapeHtml(`${basename(s.source.file)}:${s.source.line + 1}`)}</a>`
      : `<span class="where">${escapeHtml(s.citation ?? 'simulation')}</span>`;
    const conf = s.confidence === 'verified' ? '' : ` <span class="conf">[${escapeHtml(s.confidence)}]</span>`;
    let fork = '';
    if (s.fork !== undefined && t.forks[s.fork]) {
      const f = t.forks[s.fork]!;
      fork = `<ul class="fork">${f.alternatives
        .map((a) => {
          const what = a.choice === f.taken ? 'followed below' : a.unexplored || !a.verdict ? 'not explored (path bound reached)' : `<span class="kind">${escapeHtml(a.verdict.kind)}</span> — ${escapeHtml(a.verdict.summary)}${a.path ? ` <span class="conf">(via: ${escapeHtml(a.path)})</span>` : ''}`;
          return `<li>${escapeHtml(a.choice)}: ${what}</li>`;
        })
        .join('')}</ul>`;
    }
    return `<li class="${escapeHtml(s.kind)}"><span class="n">${s.n}.</span>${where} — <span class="text">${escapeHtml(s.text)}</span>${conf}${fork}</li>`;
  });
  const others = t.otherVerdicts && t.otherVerdicts.length ? `<div class="meta">Other outcomes behind forks: ${t.otherVerdicts.map(escapeHtml).join(', ')}</div>` : '';
  const body = `<h1>Fault path: ${escapeHtml(t.handler)} @ ${escapeHtml(t.target)}</h1>
<div class="scenario">Scenario: ${escapeHtml(scenarioText(t.scenario))}</div>
${toolbar(false)}
<ol class="steps">${items.join('\n')}</ol>
${others}
<div class="verdict ${verdictClass(t.verdict.kind)}"><span class="kind">Verdict: ${escapeHtml(t.verdict.kind)}</span> — ${escapeHtml(t.verdict.summary)}</div>`;
  return page(nonce, `Faultline: ${t.handler}`, body);
}

export function buildMatrixHtml(m: MatrixLike, nonce: string): string {
  const tables = m.targets.map((target) => {
    const head = `<tr><th>level \\ backing</th>${m.backings.map((b) => `<th>${escapeHtml(b)}</th>`).join('')}</tr>`;
    const rows = m.levels.map((level) => {
      const cells = m.backings.map((b) => {
        const c = m.cells.find((x) => x.level === level && x.backing === b && x.target === target);
        if (!c) return '<td>-</td>';
        const more = c.other.length ? `*` : '';
        return `<td class="${verdictClass(c.verdict)}" title="${escapeHtml(c.summary + (c.other.length ? ` (also possible: ${c.other.join(', ')})` : ''))}">${escapeHtml(c.verdict)}${more}</td>`;
      });
      return `<tr><th>${escapeHtml(level)}</th>${cells.join('')}</tr>`;
    });
    return `<h2>${escapeHtml(target)}</h2><table>${head}${rows.join('')}</table>`;
  });
  const body = `<h1>Fault-path matrix: ${escapeHtml(m.handler)}</h1>
<div class="scenario">Scenario: ${escapeHtml(scenarioText(m.scenario))}</div>
${toolbar(true)}
<div class="meta">Rows: level tried first; columns: backing memory; * = other outcomes behind forks (hover a cell).</div>
${tables.join('\n')}`;
  return page(nonce, `Faultline matrix: ${m.handler}`, body);
}

function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}
