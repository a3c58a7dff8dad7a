import { html } from '../dom';
import type { PageContext } from '../router';

/** The commissioner's page until the metrics dashboard (issue 7) arrives. */
export function commissionerHomePage(ctx: PageContext): void {
  ctx.render(html`<h1 class="govuk-heading-l">Signed in</h1>
<p class="govuk-body">Commissioners see aggregate figures only, never a single contact.</p>
<p class="govuk-body">The metrics dashboard is not available in this version of Waymark.</p>`);
}
