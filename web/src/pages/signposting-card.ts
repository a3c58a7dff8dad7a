/**
 * The signposting card (issue 21): after a contact is saved, the champion
 * hands the person their phone with a full-screen card in the person's own
 * language, chosen apart from the champion's: the services they were
 * signposted to, what each does in a sentence (English where no sentence is
 * written in their language), each service's number as a link a phone can
 * call, their contact reference, and the national 24-hour helpline. Exit this
 * page stays on screen. Nothing is fetched or stored: the card is made from
 * what the page already holds in memory, and is gone when it is closed.
 */
import { isLanguage, NATIONAL_HELPLINE, type Language } from '../../../shared/domain/locales';
import { serviceDescription } from '../../../shared/domain/service-descriptions';
import { html } from '../dom';
import { telLink } from '../govuk';
import { current, translatorFor } from '../i18n';
import type { PageContext } from '../router';
import type { ContactView, Service } from '../types';

export async function signpostingCardPage(ctx: PageContext): Promise<void> {
  const contact = ctx.params['contact'] as ContactView | undefined;
  const services = (ctx.params['services'] as Service[] | undefined) ?? [];
  const asked = String(ctx.params['language'] ?? 'en');
  if (!contact) return ctx.navigate('champion-home', {}, { replace: true });
  const language: Language = isLanguage(asked) ? asked : 'en';
  const card = await translatorFor(language);
  const own = current();
  const { t, th } = card;
  const signposted = (contact.signposting ?? []).map((sp) => ({ sp, service: services.find((s) => s.id === sp.serviceId) }));
  const bigPhone = (phone: string) => html`<p class="govuk-body wm-card__phone">${th('card.call', { phone: telLink(phone) })}</p>`;

  document.body.classList.add('wm-card-mode');
  ctx.render(html`<div class="wm-card" lang="${card.info.tag}" dir="${card.info.dir}">
<h1 class="govuk-heading-l">${t('card.title')}</h1>
<p class="govuk-body-l">${t('card.intro')}</p>
${signposted.map(({ sp, service }) => {
    const description = service ? serviceDescription(service, language) : undefined;
    return html`<section class="wm-card__service">
  <h2 class="govuk-heading-m" dir="auto">${service?.name ?? sp.serviceName}</h2>
  ${description
    ? description.language === language
      ? html`<p class="govuk-body" dir="auto">${description.text}</p>`
      : html`<p class="govuk-body"><span class="govuk-visually-hidden">${t('card.englishOnly')} </span><span lang="en" dir="ltr">${description.text}</span></p>`
    : ''}
  ${service?.phone ? bigPhone(service.phone) : ''}
</section>`;
  })}
<div class="wm-card__helpline">
  <h2 class="govuk-heading-m">${t('card.helpline')}</h2>
  <p class="govuk-body">${t('card.helplineHint')}</p>
  ${bigPhone(NATIONAL_HELPLINE.phone)}
</div>
<h2 class="govuk-heading-m">${t('card.reference')}</h2>
<p class="govuk-body"><strong class="wm-reference" dir="ltr">${contact.contactReference}</strong></p>
<p class="govuk-body">${t('card.referenceHint')}</p>
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text">${th('card.emergency', { phone: telLink('999') })}</strong></div>
</div>
<p class="govuk-body" lang="${own.info.tag}" dir="${own.info.dir}"><button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" id="wm-card-close">${own.t('card.close')}</button></p>`);
  ctx.root.querySelector('#wm-card-close')?.addEventListener('click', () => ctx.back());
}
