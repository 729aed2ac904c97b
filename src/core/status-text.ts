/**
 * The reason phrase of every error status, as node:http's `STATUS_CODES` has them (a test holds
 * the two equal): written out so that the web path, which imports no `node:` built-in, sends the
 * same status line as the Node adapters, and so that a server need not load node:http for it.
 */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  407: "Proxy Authentication Required",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Payload Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  417: "Expectation Failed",
  418: "I'm a Teapot",
  421: "Misdirected Request",
  422: "Unprocessable Entity",
  423: "Locked",
  424: "Failed Dependency",
  425: "Too Early",
  426: "Upgrade Required",
  428: "Precondition Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
  506: "Variant Also Negotiates",
  507: "Insufficient Storage",
  508: "Loop Detected",
  509: "Bandwidth Limit Exceeded",
  510: "Not Extended",
  511: "Network Authentication Required",
};

/**
 * The reason phrase for a status (`403` -> `Forbidden`), `''` for one without a name. Pass it
 * explicitly (`writeHead`, `new Response(..., { statusText })`): Koa's `ctx.status = 401` leaves
 * `res.statusMessage` at `Unauthorized`, which Node would otherwise send as `403 Unauthorized`.
 */
export function statusText(status: number): string {
  return REASON_PHRASES[status] ?? '';
}
