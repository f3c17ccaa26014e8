-- wrk script: warm `increment` calls over HTTP, spread round-robin over ACCOUNTS accounts (bench0.test.near ...).
local accounts = tonumber(os.getenv("ACCOUNTS") or "10")
local method = os.getenv("CALL_METHOD") or "increment"
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local body = '{"method":"' .. method .. '"}'
request = function()
  local path = "/contracts/bench" .. (counter % accounts) .. ".test.near/call"
  counter = counter + 1
  return wrk.format(nil, path, nil, body)
end
