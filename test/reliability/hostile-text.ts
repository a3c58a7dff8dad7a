/**
 * Hostile text, by class: what the text policy (shared/domain/text.ts) refuses in every free-text field, and what
 * the name policy refuses besides. Each value comes with the message that must say why. Used by the issue 19
 * regression tests and by the hostile-input generators (every string field of every write route).
 */
export interface HostileText {
  label: string;
  value: string;
  message: RegExp;
}

const control = /control character/;
const direction = /text direction control/;
const separator = /line or paragraph separator/;
const surrogate = /lone surrogate/;

/** Refused in any text field at all. */
export const forbiddenCharacters: readonly HostileText[] = [
  { label: 'NUL', value: 'Before\u0000after', message: control },
  { label: 'terminal escape sequence', value: 'Plain \u001b[31mred\u001b[0m text', message: control },
  { label: 'C1 control (CSI)', value: 'Plain \u009b31m text', message: control },
  { label: 'DEL', value: 'Plain\u007f text', message: control },
  { label: 'bell and backspace', value: 'Plain\u0007\u0008 text', message: control },
  { label: 'right-to-left override', value: 'Invoice \u202Egnp.exe', message: direction },
  { label: 'bidi isolate', value: 'Text \u2066hidden\u2069 here', message: direction },
  { label: 'line separator U+2028', value: 'One\u2028two', message: separator },
  { label: 'paragraph separator U+2029', value: 'One\u2029two', message: separator },
  { label: 'lone high surrogate', value: 'Broken \ud800 text', message: surrogate },
  { label: 'lone low surrogate', value: 'Broken \udc00 text', message: surrogate },
];

/** Refused in a name (team, organisation, display name, course title, service, trainer), besides the above. */
export const nameOnly: readonly HostileText[] = [
  { label: 'spreadsheet formula', value: '=HYPERLINK("https://evil.example","Click")', message: /must not start with = \+ - or @/ },
  { label: 'formula with +', value: '+SUM(1,2)', message: /must not start with/ },
  { label: 'formula with -', value: '-2+3', message: /must not start with/ },
  { label: 'formula with @', value: '@SUM(A1)', message: /must not start with/ },
  { label: 'HTML', value: '<script>alert(1)</script>', message: /must be letters, digits, spaces/ },
  { label: 'HTML entity', value: 'Tom &lt;b&gt;', message: /must be letters, digits, spaces/ },
  { label: 'pipe and equals', value: 'cmd|x=1', message: /must be letters, digits, spaces/ },
  { label: 'two lines', value: 'First line\nsecond line', message: /must be on one line/ },
];

export const hostileText = {
  freeText: forbiddenCharacters,
  names: [...forbiddenCharacters, ...nameOnly],
};
