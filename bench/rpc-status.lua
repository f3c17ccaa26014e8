-- wrk script: POST a NEAR `status` JSON-RPC call; API key from the WRK_API_KEY environment variable.
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":"wrk","method":"status","params":[]}'
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("WRK_API_KEY")
if key ~= nil and key ~= "" then
  wrk.headers["X-API-Key"] = key
end

local non2xx = 0
response = function(status, headers, body)
  if status ~= 200 then
    non2xx = non2xx + 1
  end
end

-- WRK_DELAY_MS: each connection waits this long before its next call, so the load stays below what
-- the target can serve (without it, a closed loop at full speed: every process busy, calls queueing).
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "")
if pause ~= nil and pause > 0 then
  delay = function()
    return pause
  end
end
