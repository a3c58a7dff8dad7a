/** The parts of GOV.UK Frontend's JavaScript the app uses (the package ships no types). */
declare module 'govuk-frontend' {
  export class Component {
    constructor($root: Element | null);
  }
  export class ExitThisPage extends Component {
    constructor($root: Element | null, config?: Record<string, unknown>);
    $button: HTMLAnchorElement;
    $updateSpan: HTMLElement | null;
    exitPage(): void;
  }
  export class Checkboxes extends Component {}
  export class Radios extends Component {}
  export class ErrorSummary extends Component {
    constructor($root: Element | null, config?: { disableAutoFocus?: boolean });
  }
  export class SkipLink extends Component {}
  export class ServiceNavigation extends Component {}
  export class Button extends Component {
    constructor($root: Element | null, config?: { preventDoubleClick?: boolean });
  }
  export class CharacterCount extends Component {}
  export class NotificationBanner extends Component {}
  export function createAll(component: unknown, config?: unknown, scope?: Element | Document | { scope?: Element | Document; onError?: (e: unknown) => void }): unknown[];
  export function isSupported($scope?: HTMLElement | null): boolean;
}
