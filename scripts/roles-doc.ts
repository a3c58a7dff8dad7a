import { routeKey, routes } from '../shared/api/routes';
import { actions, policy, type Scope } from '../shared/domain/policy';
import { roleLabels, roles, type Role } from '../shared/domain/roles';

const scopeWords: Record<Scope, string> = { any: 'all records', team: 'own team only', own: 'own records only' };

/** docs/ROLES.md, generated from the one policy module and the route table. */
export function buildRolesDoc(): string {
  const header = `| action | routes | ${roles.map((r) => roleLabels[r]).join(' | ')} |`;
  const rule = `|---|---|${roles.map(() => '---').join('|')}|`;
  const rows = actions.map((action) => {
    const rule: Partial<Record<Role, Scope>> = policy[action];
    const routeKeys = routes.filter((r) => r.action === action).map((r) => `\`${routeKey(r)}\``).join('<br>');
    return `| \`${action}\` | ${routeKeys || '—'} | ${roles.map((r) => (rule[r] ? scopeWords[rule[r]] : '—')).join(' | ')} |`;
  });
  return `# Roles and what each may do

Generated from \`shared/domain/policy.ts\` and \`shared/api/routes.ts\` by \`npm run docs\`; a test fails when it is stale.

Roles come from the access token's \`cognito:groups\` claim (exactly one of ${roles.map((r) => `\`${r}\``).join(', ')});
the team from its \`custom:team\` claim. "—" means the role may not perform the action at all (**403**, and the
attempt is audited). Where a role may act only on its own team's or its own records, a record outside that scope
answers **404**, so its existence is not revealed (also audited).

${header}
${rule}
${rows.join('\n')}

Public: ${routes.filter((r) => r.auth === 'none').map((r) => `\`${routeKey(r)}\``).join(', ')} (no token, no data).
`;
}
