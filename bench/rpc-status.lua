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
