/**
 * Names of the shapes the API document shows as components: each reply that
 * holds one refers to it by name (`#/components/schemas/ContactView`). Only a
 * matter of presentation: a schema left out is shown inline where it is used.
 */
import type * as z from 'zod/mini';
import { auditEventSchema } from '../shared/domain/audit';
import { trailBreakSchema, verificationReportSchema } from '../shared/domain/audit-seal';
import { caseloadSchema, followUpSchema } from '../shared/domain/caseload-view';
import { championSelfSchema, championViewSchema, completionViewSchema } from '../shared/domain/champions';
import { contactSummarySchema, contactViewSchema, signpostingSchema } from '../shared/domain/contacts';
import { courseChangeSchema, courseSchema } from '../shared/domain/courses';
import {
  championEscalationViewSchema,
  escalationNotificationSchema,
  raisedEscalationSchema,
  supervisorEscalationViewSchema,
} from '../shared/domain/escalation-views';
import { organisationSchema } from '../shared/domain/organisations';
import { figureSchema, metricDefinitionSchema, reportDefinitionsSchema, reportRowSchema, reportSchema } from '../shared/domain/report-views';
import { meSchema } from '../shared/domain/roles';
import { serviceSchema } from '../shared/domain/services';
import { teamSchema } from '../shared/domain/teams';
import { strandTrainingSchema } from '../shared/domain/training';

export const namedSchemas: ReadonlyArray<readonly [z.core.$ZodType, string]> = [
  [auditEventSchema, 'AuditEvent'],
  [verificationReportSchema, 'VerificationReport'],
  [trailBreakSchema, 'TrailBreak'],
  [caseloadSchema, 'Caseload'],
  [followUpSchema, 'FollowUp'],
  [championViewSchema, 'ChampionView'],
  [championSelfSchema, 'ChampionSelf'],
  [completionViewSchema, 'CompletionView'],
  [strandTrainingSchema, 'StrandTraining'],
  [contactViewSchema, 'ContactView'],
  [contactSummarySchema, 'ContactSummary'],
  [signpostingSchema, 'Signposting'],
  [courseSchema, 'Course'],
  [courseChangeSchema, 'CourseChange'],
  [championEscalationViewSchema, 'ChampionEscalationView'],
  [raisedEscalationSchema, 'RaisedEscalation'],
  [supervisorEscalationViewSchema, 'SupervisorEscalationView'],
  [escalationNotificationSchema, 'EscalationNotification'],
  [organisationSchema, 'Organisation'],
  [figureSchema, 'Figure'],
  [reportRowSchema, 'ReportRow'],
  [reportSchema, 'Report'],
  [metricDefinitionSchema, 'MetricDefinition'],
  [reportDefinitionsSchema, 'ReportDefinitions'],
  [meSchema, 'Me'],
  [serviceSchema, 'Service'],
  [teamSchema, 'Team'],
];
