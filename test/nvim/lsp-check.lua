-- Headless Neovim drives `kubewire lsp --stdio` like a user: open two manifests, wait for the
-- diagnostics, break a container port name in the Deployment and see the Service's diagnostic appear,
-- restore it and see the diagnostic clear, then fix a ConfigMap typo in place.
-- Run by test/nvim.test.ts: nvim --headless --clean -c "luafile lsp-check.lua" with KW_* variables.
-- Works with Neovim 0.7 (vim.lsp.start_client) and later (vim.lsp.start).

local root = os.getenv('KW_WORKSPACE')
local cmd = { os.getenv('KW_NODE'), os.getenv('KW_BIN'), 'lsp', '--stdio' }
local TIMEOUT = tonumber(os.getenv('KW_TIMEOUT') or '30000')

local function finish(code, message)
  io.stdout:write(message .. '\n')
  io.stdout:flush()
  vim.cmd(code == 0 and 'qall!' or 'cquit! ' .. code)
end

local ok, err = pcall(function()
  vim.o.hidden = true
  local config = {
    name = 'kubewire',
    cmd = cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'app' } },
    -- No cache: the test must not write into the user's cache folder.
    init_options = { debounceMs = 20, cache = false },
  }
  local client_id = vim.lsp.start_client(config)
  assert(client_id, 'the language server did not start')

  local function open(name)
    vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. name))
    local buf = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(buf, client_id)
    return buf
  end

  local function code_of(d)
    if d.code ~= nil then return d.code end
    local lsp = d.user_data and d.user_data.lsp
    return lsp and lsp.code
  end

  local function count(buf, code)
    local n = 0
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if code_of(d) == code and d.source == 'kubewire' then n = n + 1 end
    end
    return n
  end

  local function wait(what, cond)
    if not vim.wait(TIMEOUT, cond, 20) then error('timed out waiting for ' .. what) end
    io.stdout:write('seen: ' .. what .. '\n')
  end

  local function replace(buf, from, to)
    local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    for i, line in ipairs(lines) do
      local s, e = line:find(from, 1, true)
      if s then
        vim.api.nvim_buf_set_lines(buf, i - 1, i, false, { line:sub(1, s - 1) .. to .. line:sub(e + 1) })
        return
      end
    end
    error('no line contains ' .. from)
  end

  local svc = open('service.yaml')
  local dep = open('deployment.yaml')
  wait('configmap-ref-missing on the Deployment', function() return count(dep, 'configmap-ref-missing') == 1 end)
  assert(count(svc, 'service-target-port') == 0, 'the Service starts clean')

  replace(dep, '- name: http', '- name: htp')
  wait('service-target-port on the Service', function() return count(svc, 'service-target-port') == 1 end)

  replace(dep, '- name: htp', '- name: http')
  wait('service-target-port cleared', function() return count(svc, 'service-target-port') == 0 end)

  replace(dep, 'name: web-confg', 'name: web-config')
  wait('configmap-ref-missing cleared', function() return count(dep, 'configmap-ref-missing') == 0 end)

  vim.lsp.stop_client(client_id)
end)

if ok then finish(0, 'kubewire-nvim: ok') else finish(1, 'kubewire-nvim: FAIL: ' .. tostring(err)) end
