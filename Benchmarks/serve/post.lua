-- wrk: POST the JSON body in the file named by BODY; with BAD=N, every Nth request is malformed.
local f = assert(io.open(os.getenv("BODY"), "r"))
local good = f:read("*a")
f:close()
local bad_every = tonumber(os.getenv("BAD") or "0")
local count = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  count = count + 1
  if bad_every > 0 and count % bad_every == 0 then
    return wrk.format(nil, nil, nil, '{"rows": [{"age": "old"}]}')
  end
  return wrk.format(nil, nil, nil, good)
end
