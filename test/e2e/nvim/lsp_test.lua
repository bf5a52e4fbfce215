-- Faultline in a real Neovim (Debian's 0.7.2: vim.lsp.start_client + vim.lsp.buf_attach_client).
-- Run by test/e2e/nvim.sh as:
--   FL_NODE=node FL_SERVER=dist/server.js FL_OUT=out.json nvim --headless --clean -n \
--     -c 'luafile test/e2e/nvim/lsp_test.lua' path/to/file.c
-- Prints one line per check ("ok - ..." / "not ok - ..."), writes everything it received to FL_OUT
-- as JSON, and exits 0 when every check passed, 1 otherwise.

-- Expected content: keep these easy to update as the rules and the simulator grow.
local EXPECT = {
  code_pattern = '^FL0%d%d$',                -- every Faultline diagnostic carries a rule id
  source = 'faultline',                       -- diagnostic source (compared case-insensitively)
  call = 'vmf_insert_pfn_pmd',                -- the insertion call the tests hover / simulate
  rules = vim.split(os.getenv('FL_EXPECT_RULES') or 'FL001,FL007', ',', { trimempty = true }), -- must all appear
  hover_contains = { 'vmf_insert_pfn_pmd', '@ v' }, -- API name and a kernel citation like mm/…@ v6.12
  simulate_contains = { '@ v' },              -- the trace cites kernel functions per version
  simulate_patterns = { 'erdict' },           -- Lua patterns the simulate result (as JSON) must match
}
local TIMEOUT_MS = tonumber(os.getenv('FL_TIMEOUT_MS') or '15000')

local results, passed, failed = {}, 0, 0
local function check(name, cond, detail)
  if cond then
    passed = passed + 1
    io.stdout:write('ok - ' .. name .. '\n')
  else
    failed = failed + 1
    io.stdout:write('not ok - ' .. name .. (detail and (': ' .. detail) or '') .. '\n')
  end
end
local function finish()
  local out = os.getenv('FL_OUT')
  if out then
    local f = io.open(out, 'w')
    if f then
      f:write(vim.fn.json_encode(results))
      f:close()
    end
  end
  io.stdout:write(string.format('nvim: %d passed, %d failed\n', passed, failed))
  io.stdout:flush()
  vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
end
local function trim(s, n) s = tostring(s):gsub('%s+', ' '); return #s > n and (s:sub(1, n) .. '…') or s end

local ok, err = pcall(function()
  local bufnr = vim.api.nvim_get_current_buf()
  if vim.bo[bufnr].filetype == '' then vim.bo[bufnr].filetype = 'c' end
  local file = vim.api.nvim_buf_get_name(bufnr)
  local root = os.getenv('FL_ROOT') or vim.fn.fnamemodify(file, ':h')
  local targets = vim.split(os.getenv('FL_TARGETS') or '', ',', { trimempty = true })

  local exited = nil
  local client_id = vim.lsp.start_client({
    name = 'faultline',
    cmd = { os.getenv('FL_NODE') or 'node', os.getenv('FL_SERVER') or 'dist/server.js', '--stdio' },
    root_dir = root,
    settings = { faultline = (#targets > 0) and { targets = targets } or {} },
    -- Neovim 0.7 neither advertises workspace/configuration nor pushes settings by itself
    -- (":h vim.lsp.start_client", on_init): send them as the 0.7 docs say.
    on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end,
    on_exit = function(code, signal) exited = { code = code, signal = signal } end,
  })
  check('server starts (vim.lsp.start_client)', client_id ~= nil)
  if not client_id then return end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local client
  vim.wait(TIMEOUT_MS, function() client = vim.lsp.get_client_by_id(client_id); return (client and client.initialized) or exited ~= nil end, 50)
  check('initialize handshake', client and client.initialized, exited and ('server exited ' .. vim.inspect(exited)) or 'timeout')
  if not (client and client.initialized) then return end
  results.serverCapabilities = client.server_capabilities or client.resolved_capabilities
  local caps = client.server_capabilities or {}
  check('server advertises hoverProvider', caps.hoverProvider ~= nil and caps.hoverProvider ~= false)

  local t0 = vim.loop.hrtime()
  vim.wait(TIMEOUT_MS, function() return #vim.diagnostic.get(bufnr) > 0 or exited ~= nil end, 50)
  local diags = vim.diagnostic.get(bufnr)
  results.diagnosticsMs = math.floor((vim.loop.hrtime() - t0) / 1e6)
  results.diagnostics = diags
  io.stdout:write('diagnostics: ' .. vim.fn.json_encode(diags) .. '\n')
  check('diagnostics published (' .. #diags .. ' in ' .. results.diagnosticsMs .. ' ms)', #diags > 0)

  -- Rule ids: Neovim 0.7 keeps the LSP diagnostic in user_data.lsp; newer ones also in .code.
  local codes, bad = {}, {}
  for _, d in ipairs(diags) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    code = code and tostring(code) or ''
    codes[code] = true
    if not code:match(EXPECT.code_pattern) or (d.message or '') == '' or tostring(d.source or ''):lower() ~= EXPECT.source then
      table.insert(bad, code .. '/' .. tostring(d.source) .. ': ' .. trim(d.message or '', 60))
    end
  end
  local codelist = vim.tbl_keys(codes); table.sort(codelist)
  io.stdout:write('rule ids: ' .. table.concat(codelist, ' ') .. '\n')
  check('every diagnostic has a FL0xx code, source "' .. EXPECT.source .. '" and a message', #diags > 0 and #bad == 0, table.concat(bad, ' | '))
  for _, r in ipairs(EXPECT.rules) do check('rule ' .. r .. ' reported', codes[r], 'got ' .. table.concat(codelist, ' ')) end

  -- Locate the insertion call (0-based line/character, UTF-16 == bytes for this ASCII file).
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local cl, cc
  for i, l in ipairs(lines) do
    local s = l:find(EXPECT.call, 1, true)
    if s and l:find(EXPECT.call .. '%s*%(') then cl, cc = i - 1, s - 1 + 3; break end
  end
  check('example contains a ' .. EXPECT.call .. '() call', cl ~= nil)
  if not cl then return end
  local on_call = false
  for _, d in ipairs(diags) do if d.lnum <= cl and (d.end_lnum or d.lnum) >= cl then on_call = true end end
  check('a diagnostic covers the ' .. EXPECT.call .. ' line (' .. (cl + 1) .. ')', on_call)

  local uri = vim.uri_from_bufnr(bufnr)
  local pos = { textDocument = { uri = uri }, position = { line = cl, character = cc } }
  local hr, hsync = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', pos, TIMEOUT_MS)
  local hover = hr and hr[client_id] and hr[client_id].result
  local herr = (hr and hr[client_id] and hr[client_id].err) or hsync
  results.hover = hover or { error = herr or vim.NIL }
  local htext = ''
  if hover and hover.contents then
    local c = hover.contents
    htext = type(c) == 'string' and c or (c.value or table.concat(vim.lsp.util.convert_input_to_markdown_lines(c), '\n'))
  end
  io.stdout:write('hover: ' .. trim(htext, 300) .. '\n')
  check('hover on ' .. EXPECT.call, htext ~= '', herr and vim.inspect(herr) or 'empty hover')
  for _, s in ipairs(EXPECT.hover_contains) do check('hover mentions "' .. s .. '"', htext:find(s, 1, true) ~= nil) end

  local sr, ssync = vim.lsp.buf_request_sync(bufnr, 'faultline/simulate', pos, TIMEOUT_MS)
  local sim = sr and sr[client_id] and sr[client_id].result
  local serr = (sr and sr[client_id] and sr[client_id].err) or ssync
  results.simulate = sim or { error = serr or vim.NIL }
  local stext = sim and vim.fn.json_encode(sim) or ''
  io.stdout:write('simulate: ' .. trim(stext, 300) .. '\n')
  check('faultline/simulate answers for the handler', sim ~= nil and sim ~= vim.NIL, serr and trim(vim.inspect(serr), 200) or 'no result')
  for _, s in ipairs(EXPECT.simulate_contains) do check('simulate result mentions "' .. s .. '"', stext:find(s, 1, true) ~= nil) end
  for _, p in ipairs(EXPECT.simulate_patterns) do check('simulate result matches /' .. p .. '/', stext:find(p) ~= nil) end

  -- Clean shutdown: the server must exit by itself after shutdown/exit.
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return exited ~= nil end, 50)
  check('server exits after shutdown', exited ~= nil and exited.code == 0, exited and vim.inspect(exited) or 'still running')
end)
if not ok then check('test script ran without a Lua error', false, tostring(err)) end
finish()
