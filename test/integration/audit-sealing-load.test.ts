import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getConfig } from '../../shared/config';
import { hourOf, hourStart, nextHour, type AuditDigest } from '../../shared/domain/audit-seal';
import { auditPut, buildAuditEvent, type RequestScope } from '../../shared/store/audit';
import { verifyAuditRange } from '../../shared/store/audit-verify';
import { useTestEnvironment } from '../support/environment';

const t = useTestEnvironment({ seed: false });
const EVENTS = 3000;
const scope: RequestScope = { principal: { sub: 'load-sub', role: 'supervisor', team: 'team-a' }, requestId: 'req-load' };

describe('sealing a busy hour', () => {
  it(`seals an hour of ${EVENTS} events in one digest that verifies (times printed, not asserted)`, async () => {
    const hour = hourOf(new Date(Date.now() - 3 * 3_600_000).toISOString());
    const start = hourStart(hour).getTime();
    const writeStarted = performance.now();
    for (let i = 0; i < EVENTS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, EVENTS - i) }, (_, j) => {
          const n = i + j;
          const event = buildAuditEvent(scope, { action: 'contacts.update', entityType: 'contact', entityId: `c-${n % 97}`, teamId: 'team-a', changedFields: ['outcome'] }, 'success', new Date(start + Math.floor((n * 3_600_000) / EVENTS)));
          return t.db.send(new PutCommand(auditPut(event).Put));
        }),
      );
    }
    await t.env.drainStreams(); // every record seen: the hour is pending, not over on the stream's clock
    const written = performance.now();

    // The next event, well into the next hour, moves the stream's clock past the hour: the sealer seals it.
    const closer = buildAuditEvent(scope, { action: 'contacts.update', entityType: 'contact', entityId: 'closer', teamId: 'team-a' }, 'success', new Date(hourStart(nextHour(hour)).getTime() + 10 * 60_000));
    const sealStarted = performance.now();
    await t.db.send(new PutCommand(auditPut(closer).Put));
    await t.env.drainStreams();
    const sealed = performance.now();

    const dir = getConfig().auditDigests.dir as string;
    const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
    expect(names).toHaveLength(1);
    const digest = JSON.parse(readFileSync(join(dir, names[0]!), 'utf8')) as AuditDigest;
    expect(digest).toMatchObject({ kind: 'seal', hour, count: EVENTS });

    const verifyStarted = performance.now();
    const report = await verifyAuditRange(hour, hour);
    const verified = performance.now();
    expect(report).toMatchObject({ ok: true, eventsChecked: EVENTS, periodsChecked: 1 });

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `[audit sealing] ${EVENTS} events: written and streamed in ${s(written - writeStarted)}; ` +
        `hour sealed (stream delivery + byHour read + hashing + digest write) in ${s(sealed - sealStarted)}; ` +
        `verified in ${s(verified - verifyStarted)}; digest ${(readFileSync(join(dir, names[0]!)).length / 1024).toFixed(0)} KiB`,
    );
  }, 300_000);
});
