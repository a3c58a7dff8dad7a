import { policy, type Scope } from '../shared/domain/policy';
import { caseLevelActionPrefixes, EXPORT_MAX_DAYS, EXPORT_PART_ROWS, processingColumns } from '../shared/domain/processing-records';
import { DEFAULT_CONTACT_RETENTION_DAYS } from '../shared/domain/contact-defaults';
import { AUDIT_YEARS_BEYOND_CONTACTS, AUDIT_YEARS_MAX, CONTACT_YEARS_MAX, CONTACT_YEARS_MIN, REFERENCE_LEDGER_YEARS, retainedRecordTypes } from '../shared/domain/retention';
import { roleLabels, roles, type Role } from '../shared/domain/roles';
import { tables } from '../shared/store/tables';

/**
 * docs/DATA-PROTECTION.md: the prose is written here; the tables of who sees what, of retention and of the
 * stores come from the code (the policy, shared/domain/retention.ts, shared/store/tables.ts), so a change to
 * any of them makes the doc stale and a test fail until `npm run docs` is run.
 */

const scopeWords: Record<Scope, string> = { any: 'all', team: 'own team\'s', own: 'own' };

/** The policy actions on case-level or personal data, grouped by what they touch. */
const personalDataActions: readonly [string, readonly (keyof typeof policy)[]][] = [
  ['Contacts and signposting', ['contacts.list', 'contacts.read', 'contacts.create', 'contacts.update', 'contacts.delete', 'contacts.recordOutcome']],
  ['Concerns (escalations)', ['escalations.list', 'escalations.read', 'escalations.create', 'escalations.transition', 'caseload.read']],
  ['Champions and training', ['champions.list', 'champions.read', 'champions.update', 'training.list', 'training.create']],
  ['Support network sessions (headcounts)', ['supportSessions.list', 'supportSessions.read']],
  ['Rights of the person', ['rights.access', 'rights.erase']],
  ['Audit trail', ['audit.list', 'audit.export', 'audit.verify']],
  ['Retention', ['settings.readRetention', 'settings.setRetention']],
  ['Reports (aggregates only, suppressed)', ['reports.read', 'reports.readUnsuppressed']],
];

function rolesTable(): string {
  const head = `| what | action | ${roles.map((r) => roleLabels[r]).join(' | ')} |\n|---|---|${roles.map(() => '---').join('|')}|`;
  const rows = personalDataActions.flatMap(([what, list]) =>
    list
      .filter((a) => a in policy)
      .map((a) => {
        const rule: Partial<Record<Role, Scope>> = policy[a];
        return `| ${what} | \`${a}\` | ${roles.map((r) => (rule[r] ? scopeWords[rule[r]] : '—')).join(' | ')} |`;
      }),
  );
  return `${head}\n${rows.join('\n')}`;
}

function retentionTable(): string {
  const contactDefault = `${DEFAULT_CONTACT_RETENTION_DAYS} days (6 years)`;
  const retentionOf: Record<(typeof retainedRecordTypes)[number]['follows'], string> = {
    contacts: `contacts: ${CONTACT_YEARS_MIN}–${CONTACT_YEARS_MAX} years; default ${contactDefault}`,
    audit: `audit: contacts + ${AUDIT_YEARS_BEYOND_CONTACTS} year at least, at most ${AUDIT_YEARS_MAX} years; default 2557 days (7 years)`,
    ledger: `${REFERENCE_LEDGER_YEARS} years, fixed (the longest contact retention, ${CONTACT_YEARS_MAX} years, and one more)`,
  };
  const rows = retainedRecordTypes.map(
    (r) => `| ${r.type} | ${r.holds} | ${retentionOf[r.follows]} | ${r.from} |`,
  );
  return `| record | holds | retention (setting, default) | counted from |\n|---|---|---|---|\n${rows.join('\n')}`;
}

function storesTable(): string {
  return `| table | purpose | expiry attribute (TTL) | stream |\n|---|---|---|---|\n${tables.map((t) => `| ${t.id} | ${t.purpose} | \`${t.timeToLiveAttribute}\` | ${t.stream ?? 'none'} |`).join('\n')}`;
}

export function buildDataProtectionDoc(): string {
  return `# Data protection: what a council's DPO needs for a DPIA

Written so that a council's data protection officer can lift it into their data protection impact assessment (DPIA).
The tables marked *generated* come from the code (\`npm run docs\`; a test fails when they are stale). Nothing here
is legal advice: where a choice is the council's (as controller), it is stated as an option for the council to decide.

## Roles under UK GDPR

- **The council** (or the partnership body that runs the programme) is the **controller**: it decides why and how the
  records are processed, appoints the champions' supervisors (the DASV team) and sets retention.
- **Amazon Web Services** is the **processor** (hosting: DynamoDB, Lambda, API Gateway, Cognito, S3, CloudFront, KMS,
  CloudWatch, SNS, AWS Backup) under the AWS GDPR Data Processing Addendum, which includes the UK addendum.
  Whoever operates the deployment for the council (the council's own IT or a supplier) is a processor too and needs
  a contract under Article 28.
- **Community and faith organisations** host champions; they do not receive case records from Waymark.

## Whose data, and what is held

**People supported.** Contact logs hold no name, address, phone number, email, date of birth, exact age or
identifying free text: the schema refuses them with a clear message, and the personal-data detector checks every
free-text note (docs/PERSONAL-DATA.md). Repeat contacts are linked by a random **contact reference** the person may
carry on a card (for example \`WM-7K3Q-P9\`).

**The records are pseudonymised, not anonymous.** Under UK GDPR Recital 26, data that can be attributed to a person
by means reasonably likely to be used is personal data. The person holding the card, or anyone who sees it, can be
singled out by the reference; and a contact's date, setting, strand and banded demographics may identify someone
in a small community. Treat every contact, signposting item, concern and reference as **personal data**, and as
**special category data** where it reveals sex life or sexual orientation, religion, ethnic origin or health
(Article 9), and as data about alleged criminal offences where it records hate crime or abuse (Article 10).

**Champions** (volunteers): display name, team, organisation, strands, languages, training records; their sign-in
account (email, in Cognito only). **Staff** (supervisors, admins, commissioners): their sign-in account and role.
**Everyone who signs in:** the audit trail records what they did and what case data they viewed.

Where data lives (*generated* from \`shared/store/tables.ts\`):

${storesTable()}

Besides the tables: **logs** (CloudWatch, one group per function and the API access log, 6 months): request
metadata only — route, status, latency, role, correlation id; never request bodies or case fields. **Audit
digests** (S3 with Object Lock): hashes of sealed hours of the audit trail, no content. **Backups** (PITR 35 days and
AWS Backup recovery points, docs/DEPLOY.md): copies of the tables, so an erased or expired record stays in a backup
until that backup itself expires. **Notifications** (SNS in AWS): a concern's priority and a link, no case content.

## Lawful bases to consider (the council decides)

Options commonly considered for this kind of processing, for the council to decide with its own advice:

- **Article 6(1)(e) public task** — the council's functions under the Domestic Abuse Act 2021 (Part 4 duties on
  support), the Crime and Disorder Act 1998 (community safety partnerships) and its safeguarding duties (Children
  Act 1989/2004, Care Act 2014). Where a partner rather than the council is controller, **Article 6(1)(f) legitimate
  interests** may be considered instead (a public authority cannot rely on it for its public tasks).
- **Article 9(2)(g) substantial public interest**, with a Data Protection Act 2018 **Schedule 1 Part 2** condition:
  para 6 (statutory and government purposes), para 18 (safeguarding of children and of individuals at risk),
  para 8 (equality of opportunity or treatment, for the monitoring of ethnicity, religion and sexual orientation);
  each needs the **appropriate policy document** Schedule 1 Part 4 asks for. Alternatively **Article 9(2)(h)/(b)**
  where the processing sits within health or social care or employment law, with Schedule 1 Part 1.
- **Article 10** criminal offence data (hate crime and abuse as described by the person): official authority, or a
  Schedule 1 condition (paras 10 and 18 are those usually considered).
- **Consent is not the basis** for the record itself (the power imbalance and the need to keep safeguarding records
  make it unsuitable), though champions ask consent before a referral and before information is shared with a
  specialist service, and the record says whether it was given.

## Who sees what (*generated* from \`shared/domain/policy.ts\`)

"own team's" — only records of the principal's team (another team's record answers 404, as if it did not exist);
"own" — only records the champion logged; "—" — never (403). Every read of case-level data writes an audit event
first; a read whose audit event cannot be written is refused. Commissioners see aggregates only, with counts of 1–7
suppressed and secondary suppression wherever a total would reveal one (docs/METRICS.md).

${rolesTable()}

## Retention and how it is enforced (*generated* from \`shared/domain/retention.ts\`)

An admin sees and sets retention at **Retention** in the web app (\`GET/PUT /settings/retention\`, audited). Each
record carries its expiry in the \`expiresAt\` attribute and **DynamoDB's TTL** deletes it after that time
(typically within a few days of it; on one machine a sweeper does the same).

${retentionTable()}

- **A change applies to new records at once** (each write reads the setting). **Records already held** move to the
  new date when the operator runs \`npm run retention:backfill\`: it records its progress in the case table after
  each page and resumes where it stopped if interrupted. Shortening retention therefore deletes older records once
  the backfill has run.
- **The audit trail** keeps each event's expiry as it was written: the expiry is part of what each sealed hour's
  digest covers (docs/AUDIT.md), so it is never rewritten. A change of audit retention applies to events written
  after it. A function that has not read the setting in the last five minutes writes the deployment's
  \`AUDIT_RETENTION_DAYS\`; keep that variable equal to the setting (or above it) when you change it.
- **Figures do not fall when records expire**: the aggregator moves what an expired record contributed to a
  "retired" ledger, so published figures for past months stand. An **erasure** is different (below).
- **The reference ledger expires too** (the *reference ledger* row above): the items the aggregator keeps per
  contact reference (how many counted contacts it had in each period; its journey: the dates it was signposted to
  the support network and shown at a session, the genders its contacts recorded) carry an expiry
  ${REFERENCE_LEDGER_YEARS} years after their last change, which is after every record that can change them
  has gone. The figures they decided stand; reconciliation no longer recomputes a period's distinct-reference and
  journey figures once that many years have passed since it began (\`isSettledPeriod\`).

## Rights of the person holding a reference

A supervisor of the team that issued the reference acts on the person's request after they show their card
(\`POST /rights/access\`, \`POST /rights/erasure\`, with the council's own request reference). A reference of another
team answers 404, exactly as one never issued. Both actions are audited under the request reference; the
contact reference itself is never written to the audit trail.

- **Access (Article 15)**: every contact, signposting item and concern held under the reference, in plain language,
  with who did what given by role only ("a community champion", "the DASV team") — no name, id or sign-in identity
  of a champion or member of staff, nothing of any other reference. A concern's DASH risk checklist, where the DASV
  team completed one, is given question by question with its answer, the score, the risk level and why, the step
  recommended, and any MARAC referral (the meeting, whether it was a repeat, what it decided).
- **Erasure (Article 17)**: every contact, signposting item and concern under the reference, and the reference,
  are deleted. The audit trail records that an erasure was made under the request and how many records it removed;
  earlier audit events about those records (who logged or viewed contact X) stay, and after the erasure nothing
  links them to the reference. **Reports subtract the erased records: past figures change** (the metric definitions
  say so). Backups keep the records until they expire (35 days for PITR; the AWS Backup plan's retention).
- **Rectification** is the champion's correction within 24 hours, or the supervisor's deletion with a reason.
- **Objection and restriction**: no automated decision-making or profiling is made about anyone; the risk flags and
  DASH score are recorded by people and read by people.

## Records of processing

The audit trail holds every read and write of case-level data: who, in which role and team, which record, when,
from which request, and whether it was allowed. Admins search it in the web app (**Audit trail**) and verify it
against its sealed digests (\`POST /audit/verify\`, \`npm run audit:verify\`).

For an information governance audit an admin downloads the **records of processing** of a period (web app: **Audit
trail**, "Download records of processing"; API: \`GET /audit/export?from=YYYY-MM-DD&to=YYYY-MM-DD\`): every access to
case-level data (actions ${caseLevelActionPrefixes.map((p) => `\`${p}*\``).join(', ')}) in up to ${EXPORT_MAX_DAYS} whole UTC days, newest
first, as CSV. A period is sent in parts of at most ${EXPORT_PART_ROWS.toLocaleString('en-GB')} rows (well under Lambda's 6 MB response limit),
each part's \`Link: <…>; rel="next"\` header naming the next; the web app follows them into one file. The export is
itself audited (\`audit.export\`). It holds no case content, only these columns (*generated*):

${processingColumns.map(([name, holds]) => `- \`${name}\`: ${holds}`).join('\n')}

## Where data lives and what crosses borders

- Everything that stores or processes case data is in **eu-west-2 (London)**: tables, backups, digests, logs,
  Cognito, functions, queues, topics (docs/DEPLOY.md, "Data stays in eu-west-2").
- **us-east-1** holds only the WAF web ACL (rules; logging and sampled requests are off, so no request data is kept
  there) and the ACM certificate CloudFront requires.
- **CloudFront** terminates TLS at the edge nearest the user (UK and European edges for UK users) and passes API
  requests to eu-west-2 without caching them; only the static web app is cached at the edges. Requests (and so case
  data in transit) pass through an edge location's memory, not its storage.
- AWS support staff access and law-enforcement requests are governed by the AWS DPA.

## Security and breach detection

- Encryption at rest with a customer-managed KMS key (rotation on), TLS 1.2+ in transit; MFA for every sign-in;
  least-privilege grants per function (checked by cdk-nag and tests).
- **Detection**: CloudWatch alarms on errors, throttles, dead-lettered stream batches and the audit sealer's lag
  (docs/DEPLOY.md, "Operations"); the audit trail's hourly seals in S3 Object Lock, so an altered or deleted audit
  event is found by \`npm run audit:verify\` and names the first break; denied attempts (403/404) are themselves
  audited, so probing across teams shows in the trail.
- **Response**: the council's breach procedure applies (72 hours to the ICO where a breach is likely to result in a
  risk to people); the audit trail answers "whose records did this account read, and when".

## Residual risks and mitigations

| risk | mitigation | what remains |
|---|---|---|
| Re-identification from a reference or from a rare combination of date, setting and demographics | no identifiers stored; demographics optional and banded; commissioners see only suppressed aggregates | a supervisor or champion who knows the person can recognise them; the card itself identifies its holder to whoever sees it |
| A champion's device seen or shared (a watched phone) | Exit this page; nothing kept in browser storage; sessions end on reload | what is on screen while it is open |
| Free text reveals identity | the personal-data detector refuses names, contact details and dates of birth in notes | an identifying description the detector cannot recognise |
| Retention change not applied to existing records | the backfill, resumable, records its progress | until it has run, older records keep their old expiry; audit events keep theirs (see above) |
| Erased records survive in backups | PITR 35 days; backup plan retention | a restore could bring erased records back: re-run the erasure after any restore |
| Erased reference survives in the retired ledger of figures | only where some of its contacts had already expired (the count per reference of expired contacts, its retired journey) | that count, those dates and the reference, until the ledger expires (${REFERENCE_LEDGER_YEARS} years after its last change) |
| The reference ledger outlives the records (a reference with its signposting and session dates and recorded gender) | no identity or case content; read only by the aggregator and reconciliation, never by a person's request; expires ${REFERENCE_LEDGER_YEARS} years after its last change | the reference with those dates and genders, for ${REFERENCE_LEDGER_YEARS} years after the last of its records has gone (the ledger must outlive any record the longest retention, ${CONTACT_YEARS_MAX} years, keeps, so it cannot follow a shorter setting) |
| Insider misuse by an authorised user | team scope, audit of every read, sealed audit trail, supervisors see the history of their team's records | a user acting within their scope |
| Concern notifications | SNS/outbox carry priority and a link only | the outbox on one machine keeps the link for 30 days |
`;
}
