import type { Catalogue } from '../i18n';

export const pt: Catalogue = {};
