import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { lambdaContext } from '../../infra/local/api-gateway-event';
import { ORIGIN_VERIFY_HEADER } from '../../shared/http/origin-verify';

/**
 * A payload 2.0 event as a direct Lambda invocation would carry it, with no authorizer in front. It carries the
 * origin header CloudFront adds (the value the local environment configured), as a request that came through
 * CloudFront but past the authorizer would; `viaCloudFront: false` leaves it out.
 */
export function apiEvent(
  routeKey: string,
  options: { authorization?: string; body?: unknown; claims?: Record<string, string>; viaCloudFront?: boolean } = {},
): APIGatewayProxyEventV2 {
  const origin = process.env['ORIGIN_VERIFY_SECRET'];
  const [method, path] = routeKey.split(' ') as [string, string];
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: {
      ...(options.authorization ? { authorization: options.authorization } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(origin && options.viaCloudFront !== false ? { [ORIGIN_VERIFY_HEADER]: origin } : {}),
    },
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: [] } } } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

export const context = (name = 'test') => lambdaContext(name, 10_000);
