const cdktf = require("cdktf");
cdktf.Testing.setupJest();

// Speed: cdktf records a creation stack trace for every token. Under jest each trace goes through
// jest's source-map formatter, which makes building the app 3-8x slower than in plain node. The
// traces only decorate token errors, so tests skip them (the app process keeps cdktf's behaviour).
require("cdktf/lib/tokens/private/stack-trace").captureStackTrace = () => [];
