-- POSTs the prepared multipart body (BODY_FILE) with its Content-Type (CONTENT_TYPE).
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE")
