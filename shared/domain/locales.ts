/**
 * The languages Waymark's champion pages speak (issue 21): each with its own
 * name (how a speaker finds it in a list: "العربية", not "Arabic"), its
 * writing direction, and the review status of its translation. `draft` is a
 * machine or non-native translation, shown with a small notice; `reviewed`
 * has been checked by a qualified translator. Pure: the web app and the API
 * both read it.
 */
export const languageCodes = ['en', 'ar', 'ur', 'pl', 'ro', 'lt', 'pt', 'pa', 'so'] as const;
export type Language = (typeof languageCodes)[number];
/**
 * Two pseudo-locales for checking the layout, never for people: English
 * accented and 40% longer, and the same written right to left. The switch
 * offers them only where the web app's configuration says so (on one machine).
 */
export const pseudoLanguageCodes = ['en-XA', 'ar-XB'] as const;
export const uiLanguageCodes = [...languageCodes, ...pseudoLanguageCodes] as const;
export type UiLanguage = (typeof uiLanguageCodes)[number];

export type ReviewStatus = 'draft' | 'reviewed';

export interface UiLanguageInfo {
  code: UiLanguage;
  /** BCP 47 tag for `lang` and `Intl` ("pa-Guru": Punjabi in Gurmukhi). */
  tag: string;
  /** The language's name in itself. */
  ownName: string;
  /** Its name in English, for the admin's list. */
  englishName: string;
  dir: 'ltr' | 'rtl';
  review: ReviewStatus;
  /**
   * Every message of the catalogue is translated: test/unit/catalogue.test.ts
   * fails on any key missing from a language marked complete.
   */
  complete: boolean;
  /** A pseudo-locale (layout checks only). */
  pseudo?: true;
}

export const uiLanguages: readonly UiLanguageInfo[] = [
  { code: 'en', tag: 'en-GB', ownName: 'English', englishName: 'English', dir: 'ltr', review: 'reviewed', complete: true },
  { code: 'ar', tag: 'ar', ownName: 'العربية', englishName: 'Arabic', dir: 'rtl', review: 'draft', complete: true },
  { code: 'ur', tag: 'ur', ownName: 'اردو', englishName: 'Urdu', dir: 'rtl', review: 'draft', complete: true },
  { code: 'pl', tag: 'pl', ownName: 'Polski', englishName: 'Polish', dir: 'ltr', review: 'draft', complete: true },
  { code: 'ro', tag: 'ro', ownName: 'Română', englishName: 'Romanian', dir: 'ltr', review: 'draft', complete: true },
  { code: 'lt', tag: 'lt', ownName: 'Lietuvių', englishName: 'Lithuanian', dir: 'ltr', review: 'draft', complete: true },
  { code: 'pt', tag: 'pt', ownName: 'Português', englishName: 'Portuguese', dir: 'ltr', review: 'draft', complete: true },
  { code: 'pa', tag: 'pa-Guru', ownName: 'ਪੰਜਾਬੀ', englishName: 'Punjabi (Gurmukhi)', dir: 'ltr', review: 'draft', complete: true },
  { code: 'so', tag: 'so', ownName: 'Soomaali', englishName: 'Somali', dir: 'ltr', review: 'draft', complete: true },
  { code: 'en-XA', tag: 'en-XA', ownName: '[Ƥşḗŭḓǿ-ȧƈƈḗƞŧḗḓ]', englishName: 'Pseudo-locale, accented and longer', dir: 'ltr', review: 'draft', complete: true, pseudo: true },
  { code: 'ar-XB', tag: 'ar-XB', ownName: '[Pseudo RTL]', englishName: 'Pseudo-locale, right to left', dir: 'rtl', review: 'draft', complete: true, pseudo: true },
];

export const DEFAULT_UI_LANGUAGE: UiLanguage = 'en';

export const isLanguage = (code: string): code is Language => (languageCodes as readonly string[]).includes(code);
export const isUiLanguage = (code: string): code is UiLanguage => (uiLanguageCodes as readonly string[]).includes(code);

export const uiLanguageInfo = (code: string): UiLanguageInfo =>
  uiLanguages.find((l) => l.code === code) ?? (uiLanguages[0] as UiLanguageInfo);

/**
 * The national 24-hour helpline every signposting card ends with: free, open
 * day and night, and it can arrange an interpreter.
 */
export const NATIONAL_HELPLINE = { name: 'National Domestic Abuse Helpline', phone: '0808 2000 247' } as const;
