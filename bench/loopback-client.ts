/**
 * The benchmarks' HTTP client: node:http over a keep-alive agent. The global `fetch` (undici) spends about
 * half a millisecond of its own per request on web streams and headers objects, which a warm route's
 * figure would carry and its floor (the SDK, on node:http) would not.
 */
import http from 'node:http';

export interface LoopbackResponse { status: number; text: string; t0: number; t1: number; error?: string }

export function loopbackRequest(
  agent: http.Agent,
  base: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<LoopbackResponse> {
  const t0 = performance.now();
  return new Promise((done) => {
    const req = http.request(
      {
        host: base.hostname, port: base.port, path, method, agent,
        headers: body !== undefined ? { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), t0, t1: performance.now() }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => done({ status: 0, text: '', t0, t1: performance.now(), error: e.code ?? e.message }));
    req.end(body);
  });
}
