import type { Catalogue } from '../i18n';

export const pa: Catalogue = {};
