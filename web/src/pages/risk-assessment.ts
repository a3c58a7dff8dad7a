/**
 * The DASH risk checklist at triage, for the DASV team: 24 questions on one
 * page, the score and what it means shown as it is filled in, and the outcome
 * with its next step. Champions never reach this page (supervisors only).
 */
import { api, ApiError } from '../api';
import { $, html, type Html } from '../dom';
import { button, checkboxes, navLink, select, showErrors, summaryList, tag, warningText } from '../govuk';
import {
  assessRisk,
  DASH_QUESTIONS,
  dashAnswerLabels,
  dashAnswers,
  professionalJudgementReasonLabels,
  professionalJudgementReasonValues,
  recommendedStepLabels,
  riskLevelLabels,
  type DashAnswer,
  type RiskLevel,
} from '../../../shared/domain/dash-checklist';
import type { RiskAssessment } from '../../../shared/domain/risk-assessment';
import type { PageContext } from '../router';
import type { SupervisorEscalation } from '../types';

type Assessed = SupervisorEscalation & { riskAssessment?: RiskAssessment };

const levelTag = (level: RiskLevel): Html => tag(riskLevelLabels[level], level === 'high' ? 'red' : level === 'medium' ? 'orange' : 'grey');

/** One question: a small inline yes / no / not known, numbered as in the checklist. */
const question = (q: (typeof DASH_QUESTIONS)[number], answer: DashAnswer | undefined): Html => html`<div class="govuk-form-group wm-dash-question" data-field="answers.${q.n - 1}" data-label="Question ${q.n}" data-target="dash-${q.n}">
<fieldset class="govuk-fieldset">
  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${q.n}. ${q.text}</legend>
  <div class="govuk-radios govuk-radios--small govuk-radios--inline" data-module="govuk-radios">
  ${dashAnswers.map((a, i) => html`<div class="govuk-radios__item">
    <input class="govuk-radios__input" id="${i === 0 ? `dash-${q.n}` : `dash-${q.n}-${a}`}" name="q${q.n}" type="radio" value="${a}"${answer === a ? html` checked` : ''}>
    <label class="govuk-label govuk-radios__label" for="${i === 0 ? `dash-${q.n}` : `dash-${q.n}-${a}`}">${dashAnswerLabels[a]}</label>
  </div>`)}
  </div>
</fieldset></div>`;

/** What the form holds now. */
function readForm(form: HTMLFormElement) {
  const answers = DASH_QUESTIONS.map((q) => (form.querySelector<HTMLInputElement>(`input[name="q${q.n}"]:checked`)?.value as DashAnswer | undefined));
  const professionalJudgement = form.querySelector<HTMLInputElement>('input[name="flags"][value="professionalJudgement"]')?.checked ?? false;
  const potentialEscalation = form.querySelector<HTMLInputElement>('input[name="flags"][value="potentialEscalation"]')?.checked ?? false;
  const reason = form.querySelector<HTMLSelectElement>('select[name="professionalJudgementReason"]')?.value || undefined;
  return { answers, professionalJudgement, potentialEscalation, professionalJudgementReason: reason };
}

/** The running tally, read out politely as it changes. */
function tally(form: HTMLFormElement): Html {
  const f = readForm(form);
  const answered = f.answers.filter((a) => a !== undefined).length;
  const verdict = assessRisk(f);
  return html`<p class="govuk-body govuk-!-margin-bottom-1"><strong>${answered} of ${DASH_QUESTIONS.length}</strong> answered · <strong>${verdict.score}</strong> “yes”</p>
<p class="govuk-body govuk-!-margin-bottom-0">${levelTag(verdict.level)} ${answered < DASH_QUESTIONS.length ? 'so far' : ''}</p>`;
}

export async function riskAssessmentPage(ctx: PageContext): Promise<void> {
  const id = ctx.params['id'] as string | undefined;
  if (!id) return ctx.navigate('caseload');
  const e = await api<Assessed>('GET', `/escalations/${encodeURIComponent(id)}`);
  const previous = e.riskAssessment;
  const result = ctx.params['result'] === 'saved' && previous;
  if (result) {
    ctx.render(html`${navLink('Back to the concern', 'escalation', { cls: 'govuk-back-link', param: e.id })}
<span class="govuk-caption-l">Risk checklist saved</span>
<h1 class="govuk-heading-l" id="dash-result">${riskLevelLabels[previous.level]}: ${previous.score} “yes” of ${DASH_QUESTIONS.length}</h1>
${previous.recommendedStep === 'marac' ? warningText('Recommended next step: refer to MARAC. The concern now has immediate priority.') : ''}
${previous.repeatMarac ? warningText('Repeat MARAC: this reference was referred to MARAC in the last 12 months.') : ''}
${summaryList([
  ['Risk level', levelTag(previous.level)],
  ['“Yes” answers', String(previous.score)],
  ['“Not known” answers', String(previous.notKnown)],
  ['High risk because', previous.highRiskBecause.length ? previous.highRiskBecause.map((c) => ({ visible_high_risk: '14 or more “yes”', professional_judgement: 'Professional judgement', potential_escalation: 'Potential escalation' })[c]).join(', ') : 'Not high risk'],
  ['Recommended next step', recommendedStepLabels[previous.recommendedStep]],
  ['Priority now', ({ immediate: 'Immediate', high: 'High', standard: 'Standard' } as Record<string, string>)[e.priority] ?? e.priority],
])}
<p class="govuk-body">${navLink('Back to the concern', 'escalation', { param: e.id })}</p>`);
    return;
  }

  ctx.render(html`${navLink('Back to the concern', 'escalation', { cls: 'govuk-back-link', param: e.id })}
<span class="govuk-caption-l">Concern: ${e.reasonLabel}</span>
<h1 class="govuk-heading-l">DASH risk checklist</h1>
<p class="govuk-body">Ask each question in your own words. Answer “Not known” where the person cannot or does not want to say. 14 or more “yes” is high risk and a referral to MARAC; so is your professional judgement, or potential escalation.</p>
<form id="dash-form" novalidate>
<div class="wm-dash-tally" id="dash-tally" role="status" aria-live="polite"></div>
${DASH_QUESTIONS.map((q) => question(q, previous?.answers[q.n - 1]))}
${checkboxes({
  name: 'flags',
  legend: 'Other criteria for MARAC',
  legendSize: 's',
  field: 'professionalJudgement',
  items: [
    {
      value: 'professionalJudgement',
      label: 'Professional judgement makes this high risk',
      checked: previous?.professionalJudgement ?? false,
      conditional: select({
        name: 'professionalJudgementReason',
        label: 'Why',
        options: [{ value: '', label: 'Choose a reason' }, ...professionalJudgementReasonValues.map((v) => ({ value: v, label: professionalJudgementReasonLabels[v] }))],
        value: previous?.professionalJudgementReason ?? '',
      }),
    },
    { value: 'potentialEscalation', label: 'Potential escalation (for example 3 or more police callouts in 12 months)', checked: previous?.potentialEscalation ?? false },
  ],
})}
${button('Save the checklist')}
</form>`);

  const form = $<HTMLFormElement>('#dash-form', ctx.root);
  const tallyBox = $('#dash-tally', ctx.root);
  const update = () => (tallyBox.innerHTML = tally(form).value);
  update();
  form.addEventListener('change', update);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = readForm(form);
    const missing = f.answers.flatMap((a, i) => (a === undefined ? [{ path: `answers.${i}`, message: `Answer question ${i + 1} (“Not known” if the person cannot say)` }] : []));
    if (missing.length) {
      showErrors(ctx.root, missing, 'Answer every question');
      return;
    }
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    const body = { version: e.version, ...f, ...(f.professionalJudgement ? {} : { professionalJudgementReason: undefined }) };
    api<Assessed>('PUT', `/escalations/${encodeURIComponent(e.id)}/risk-assessment`, { body })
      .then(() => ctx.navigate('risk-assessment', { id: e.id, result: 'saved' }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}
