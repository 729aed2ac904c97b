/*
 * Reading an error envelope from the receiving side (xlink-errors/client): leniently, as a client
 * must, since real Xlink-compatible servers differ. A server of this package writes exactly
 * `{"error":{"code":4041008,"msg":"..."}}`; a client also accepts the string form of the code
 * (handler option `codeFormat: 'string'`) and keys beside `code` and `msg`. Node-free: the
 * client's path imports no Node built-in.
 */

/** What an envelope says: its code (a 7-digit integer, known or not) and its message. */
export interface ReadEnvelope {
  readonly code: number;
  readonly msg: string;
}

/**
 * The code and message of an error envelope, or `undefined` for anything else (a body that is
 * no object, no `error` object, a `code` that is not 7 digits, a `msg` that is no string).
 * Never throws, whatever it is given (getters and Proxies included).
 */
export function readEnvelope(body: unknown): ReadEnvelope | undefined {
  try {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const error: unknown = (body as { error?: unknown }).error;
    if (typeof error !== 'object' || error === null || Array.isArray(error)) return undefined;
    const { code, msg } = error as { code?: unknown; msg?: unknown };
    if (typeof msg !== 'string') return undefined;
    const number = typeof code === 'number' ? code : typeof code === 'string' && /^[1-9]\d{6}$/.test(code) ? Number(code) : NaN;
    return Number.isInteger(number) && number >= 1000000 && number <= 9999999 ? { code: number, msg } : undefined;
  } catch {
    return undefined;
  }
}
