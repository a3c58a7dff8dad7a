/**
 * Words for people's accounts, for the API and the web app alike (plain lists, no zod, so the browser may import
 * them): each status and role as people read them.
 */
export const userStatusLabels = {
  invited: 'Invited',
  active: 'Active',
  suspended: 'Suspended',
  left: 'Left',
} as const;

export const roleNames = {
  champion: 'Champion',
  supervisor: 'Supervisor',
  commissioner: 'Commissioner',
  admin: 'Administrator',
} as const;

/** What each change of status means, said before it is made (the web app's confirmation pages). */
export const statusChangeWords = {
  suspended: {
    action: 'Suspend',
    question: (name: string) => `Are you sure you want to suspend ${name}?`,
    consequence:
      'They will be signed out and cannot use Waymark from their next request, reading or recording anything, until someone reinstates them. Their records stay with the team.',
  },
  left: {
    action: 'Record as left',
    question: (name: string) => `Are you sure ${name} has left?`,
    consequence:
      'Their account is closed for good: they are signed out and cannot sign in again. Their contacts and concerns stay with the team, and the audit trail keeps what they did under their name. If they come back, invite them again.',
  },
  active: {
    action: 'Reinstate',
    question: (name: string) => `Reinstate ${name}?`,
    consequence: 'They can sign in and use Waymark again, in the role and team shown.',
  },
} as const;

/**
 * Which status may follow which: an invited or active account may be suspended or marked as left; a suspension is
 * lifted (active) or ends in leaving; leaving is final (a returning volunteer is invited again, as a new account, so
 * that what the old one did stays attributed to it).
 */
export const statusTransitions: Record<keyof typeof userStatusLabels, readonly (keyof typeof userStatusLabels)[]> = {
  invited: ['active', 'suspended', 'left'],
  active: ['suspended', 'left'],
  suspended: ['active', 'left'],
  left: [],
};
