import type { CreateEscalation } from '../../shared/domain/escalation-views';

/**
 * Demo escalations for `npm start` (one machine only), raised by the demo
 * champions from their demo contacts through the same store as the API.
 * `hoursAgo` backdates the raising so that one is already overdue.
 */
export interface DemoEscalation {
  id: string;
  contactId: string;
  username: 'champion-a1' | 'champion-a2' | 'champion-b1';
  hoursAgo: number;
  input: CreateEscalation;
}

export const demoEscalations: readonly DemoEscalation[] = [
  {
    // Raised three days ago (high: afraid, children, repeat): its one-working-day triage is overdue.
    id: 'escalation-demo-a1-2', contactId: 'contact-demo-a1-2', username: 'champion-a1', hoursAgo: 72,
    input: { reason: 'asks_for_specialist_support', consent: 'yes', note: 'Asks to speak to an IDVA; prefers contact in the mornings.' },
  },
  {
    // Immediate danger: due within the hour.
    id: 'escalation-demo-b1-2', contactId: 'contact-demo-b1-2', username: 'champion-b1', hoursAgo: 0,
    input: { reason: 'immediate_risk_to_life', consent: 'not_asked' },
  },
];
