import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { erasureCounts, erasureSchema, rightsRequestSchema, subjectAccessResponse, subjectAccessSchema } from '../../shared/domain/subject-access';
import { auditedRead } from '../../shared/store/audit';
import { eraseRecords, issuedReference, recordsUnderReference } from '../../shared/store/rights-store';

const NOT_HELD = 'No reference like this was issued by your team (the same answer whether it exists elsewhere or not at all)';

/** POST /rights/access — the subject access response for the reference the person showed. */
const access = defineOperation({
  body: rightsRequestSchema,
  responses: { 200: { description: 'Everything held under the reference, in plain language', body: subjectAccessSchema } },
  refusals: { 404: NOT_HELD },
  async run({ body, request }) {
    const issued = await request.recordFor('rights.access', 'rightsRequest', body.requestReference, issuedReference(body.contactReference), (r) => ({ teamId: r.teamId }));
    const records = await auditedRead(
      request.scope,
      { action: 'rights.access', entityType: 'rightsRequest', entityId: body.requestReference, teamId: issued.teamId },
      recordsUnderReference(body.contactReference, issued),
    );
    return { body: subjectAccessResponse(records, body, new Date()) };
  },
});

/** POST /rights/erasure — deletes every record held under the reference; the audit trail keeps the request and the count. */
const erase = defineOperation({
  body: rightsRequestSchema,
  responses: { 200: { description: 'What was erased, by kind of record', body: erasureSchema } },
  refusals: { 404: NOT_HELD },
  async run({ body, request }) {
    const issued = await request.recordFor('rights.erase', 'rightsRequest', body.requestReference, issuedReference(body.contactReference), (r) => ({ teamId: r.teamId }));
    const records = await recordsUnderReference(body.contactReference, issued);
    await eraseRecords(request.scope, body.requestReference, records);
    return {
      body: {
        requestReference: body.requestReference,
        erasedAt: new Date().toISOString(),
        erased: erasureCounts(records),
        note: 'The records are deleted. Published figures that counted them go down accordingly; the audit trail keeps that an erasure was made under this request, not what was erased.',
      },
    };
  },
});

export const handler = createApiHandler({ 'POST /rights/access': access, 'POST /rights/erasure': erase });
