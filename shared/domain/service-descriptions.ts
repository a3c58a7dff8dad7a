import type { Language } from './locales';
import type { Service, ServiceDescriptions } from './services';

/** What a service does in `language`, or in English where none is written (and which language it is in). Pure, no zod: the web app uses it. */
export function serviceDescription(service: Pick<Service, 'descriptions'>, language: Language): { text: string; language: Language } | undefined {
  const own = service.descriptions?.[language];
  if (own) return { text: own, language };
  const english = service.descriptions?.en;
  return english ? { text: english, language: 'en' } : undefined;
}
