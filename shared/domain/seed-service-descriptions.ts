import type { ServiceDescriptions } from './services';

/**
 * What each service of the seed directory does, in one sentence, for the
 * signposting card (issue 21). English for every service; Polish and Arabic
 * written by the developer as draft translations (not yet reviewed by a
 * qualified translator). Admins edit them, and add other languages, on the
 * service directory page; a language without a sentence shows the English.
 */
export const seedServiceDescriptions: Readonly<Record<string, ServiceDescriptions>> = {
  'service-police': {
    en: 'The police protect people in danger and investigate crimes: call 999 in an emergency and 101 otherwise.',
    pl: 'Policja chroni osoby w niebezpieczeństwie i prowadzi dochodzenia: w nagłych wypadkach dzwoń pod 999, w innych sprawach pod 101.',
    ar: 'تحمي الشرطة الأشخاص المعرضين للخطر وتحقق في الجرائم: اتصل بالرقم 999 في حالات الطوارئ و101 في غير ذلك.',
  },
  'service-idva': {
    en: 'Independent domestic violence advisers help people at high risk to stay safe and guide them through police, court and housing.',
    pl: 'Niezależni doradcy ds. przemocy domowej pomagają osobom w dużym zagrożeniu zachować bezpieczeństwo i prowadzą je przez sprawy z policją, sądem i mieszkaniem.',
    ar: 'يساعد مستشارو العنف المنزلي المستقلون الأشخاص المعرضين لخطر كبير على البقاء آمنين ويرشدونهم في التعامل مع الشرطة والمحكمة والسكن.',
  },
  'service-da-outreach': {
    en: 'A local service that gives free, confidential support to anyone affected by domestic abuse, where they live.',
    pl: 'Lokalna usługa, która udziela bezpłatnego i poufnego wsparcia każdemu, kogo dotyka przemoc domowa, w miejscu zamieszkania.',
    ar: 'خدمة محلية تقدم دعماً مجانياً وسرياً لكل من يتأثر بالعنف المنزلي في مكان إقامته.',
  },
  'service-refuge': {
    en: 'A refuge is a safe, secret place to live for people escaping domestic abuse, and their children.',
    pl: 'Schronisko to bezpieczne, tajne miejsce do zamieszkania dla osób uciekających przed przemocą domową i ich dzieci.',
    ar: 'الملجأ مكان آمن وسري للسكن للأشخاص الهاربين من العنف المنزلي ولأطفالهم.',
  },
  'service-national-da-helpline': {
    en: 'A free helpline, open day and night, that listens, gives advice and can find a refuge; it can arrange an interpreter.',
    pl: 'Bezpłatna infolinia czynna całą dobę, która wysłucha, doradzi i może znaleźć schronienie; może zapewnić tłumacza.',
    ar: 'خط مساعدة مجاني يعمل ليلاً ونهاراً، يستمع ويقدم النصيحة ويمكنه إيجاد ملجأ، ويمكنه توفير مترجم.',
  },
  'service-marac': {
    en: 'A meeting of local services that plans together how to keep a person at high risk safe.',
    pl: 'Spotkanie lokalnych służb, które wspólnie planują, jak zapewnić bezpieczeństwo osobie w dużym zagrożeniu.',
    ar: 'اجتماع للخدمات المحلية يخطط معاً لكيفية الحفاظ على سلامة شخص معرض لخطر كبير.',
  },
  'service-mash': {
    en: "The council's team that acts when a child may be at risk of harm.",
    pl: 'Zespół rady miasta, który działa, gdy dziecku może grozić krzywda.',
    ar: 'فريق المجلس الذي يتدخل عندما يكون طفل معرضاً لخطر الأذى.',
  },
  'service-adult-safeguarding': {
    en: "The council's team that protects adults who cannot protect themselves from abuse or neglect.",
    pl: 'Zespół rady miasta, który chroni dorosłych niemogących samodzielnie obronić się przed przemocą lub zaniedbaniem.',
    ar: 'فريق المجلس الذي يحمي البالغين غير القادرين على حماية أنفسهم من الإساءة أو الإهمال.',
  },
  'service-sarc-isva': {
    en: 'Free medical care, emotional support and advice after rape or sexual assault, whether or not it is reported to the police.',
    pl: 'Bezpłatna opieka medyczna, wsparcie emocjonalne i porady po gwałcie lub napaści seksualnej, niezależnie od zgłoszenia na policję.',
    ar: 'رعاية طبية مجانية ودعم نفسي ونصيحة بعد الاغتصاب أو الاعتداء الجنسي، سواء أُبلغت الشرطة أم لا.',
  },
  'service-victim-support': {
    en: 'A charity that gives free, confidential support to anyone affected by crime.',
    pl: 'Organizacja charytatywna, która udziela bezpłatnego i poufnego wsparcia każdemu poszkodowanemu przez przestępstwo.',
    ar: 'جمعية خيرية تقدم دعماً مجانياً وسرياً لكل من تأثر بجريمة.',
  },
  'service-true-vision': {
    en: 'A police website for reporting hate crime online, without going to a police station.',
    pl: 'Policyjna strona internetowa do zgłaszania przestępstw z nienawiści online, bez wizyty na komisariacie.',
    ar: 'موقع إلكتروني للشرطة للإبلاغ عن جرائم الكراهية عبر الإنترنت دون الذهاب إلى مركز الشرطة.',
  },
  'service-stop-hate-uk': {
    en: 'A charity that takes reports of hate incidents and supports the people affected.',
    pl: 'Organizacja charytatywna, która przyjmuje zgłoszenia incydentów z nienawiści i wspiera poszkodowanych.',
    ar: 'جمعية خيرية تتلقى البلاغات عن حوادث الكراهية وتدعم المتأثرين بها.',
  },
  'service-tell-mama': {
    en: 'Records anti-Muslim incidents and supports the people affected.',
    pl: 'Rejestruje incydenty wymierzone w muzułmanów i wspiera poszkodowanych.',
    ar: 'تسجل الحوادث المعادية للمسلمين وتدعم المتأثرين بها.',
  },
  'service-cst': {
    en: 'Records antisemitic incidents and supports the Jewish people affected.',
    pl: 'Rejestruje incydenty antysemickie i wspiera poszkodowane osoby pochodzenia żydowskiego.',
    ar: 'تسجل الحوادث المعادية للسامية وتدعم اليهود المتأثرين بها.',
  },
  'service-galop': {
    en: 'Supports LGBT+ people who face abuse, violence or hate.',
    pl: 'Wspiera osoby LGBT+, które doświadczają przemocy lub nienawiści.',
    ar: 'تدعم أفراد مجتمع الميم الذين يواجهون الإساءة أو العنف أو الكراهية.',
  },
  'service-karma-nirvana': {
    en: 'Supports people facing honour-based abuse or forced marriage.',
    pl: 'Wspiera osoby doświadczające przemocy w imię honoru lub zmuszane do małżeństwa.',
    ar: 'تدعم الأشخاص الذين يواجهون العنف المرتبط بالشرف أو الزواج القسري.',
  },
  'service-citizens-advice': {
    en: 'Free, independent advice on money, housing, work and your rights.',
    pl: 'Bezpłatne, niezależne porady w sprawach pieniędzy, mieszkania, pracy i praw.',
    ar: 'نصيحة مجانية ومستقلة بشأن المال والسكن والعمل وحقوقك.',
  },
  'service-gp-health': {
    en: 'Your GP or a health service can treat injuries, look after your health and refer you for more help.',
    pl: 'Lekarz rodzinny lub służba zdrowia może leczyć obrażenia, dbać o zdrowie i skierować po dalszą pomoc.',
    ar: 'يمكن لطبيبك العام أو الخدمة الصحية علاج الإصابات ورعاية صحتك وإحالتك لمزيد من المساعدة.',
  },
  'service-support-network': {
    en: 'Regular, friendly meetings where people affected by domestic abuse support each other.',
    pl: 'Regularne, przyjazne spotkania, na których osoby dotknięte przemocą domową wspierają się nawzajem.',
    ar: 'لقاءات ودية منتظمة يدعم فيها المتأثرون بالعنف المنزلي بعضهم بعضاً.',
  },
  'service-housing-options': {
    en: "The council's housing team helps people who need to leave home or are at risk of losing it.",
    pl: 'Zespół mieszkaniowy rady miasta pomaga osobom, które muszą opuścić dom lub mogą go stracić.',
    ar: 'يساعد فريق الإسكان في المجلس الأشخاص الذين يحتاجون إلى مغادرة منازلهم أو المعرضين لفقدانها.',
  },
};
