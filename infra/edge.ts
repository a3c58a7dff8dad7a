import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** Requests per 5 minutes from one IP address before the rate-based rule blocks it (override: `-c wafRateLimit=<n>`). */
export const DEFAULT_WAF_RATE_LIMIT = 2000;

/** The rate limit asked for in context, checked (WAF accepts 10 to 2,000,000,000 per evaluation window). */
export function wafRateLimit(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_WAF_RATE_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 100 || n > 2_000_000_000) throw new Error(`wafRateLimit must be a whole number of requests per 5 minutes, at least 100: ${String(raw)}`);
  return n;
}

/** The AWS managed rule groups the web ACL runs, in priority order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

export interface EdgeStackProps extends StackProps {
  readonly rateLimit: number;
}

/**
 * The CloudFront web ACL. AWS requires a web ACL of scope CLOUDFRONT to be
 * created in us-east-1, so it has a small stack of its own there; the main
 * stack (eu-west-2) uses its ARN through a cross-region reference. This stack
 * holds rules only, never data: requests are inspected at CloudFront's edge,
 * and WAF keeps neither request logs nor sampled requests (both off), only per-rule counts.
 */
export class EdgeStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    // Sampled requests off: WAF would keep samples (headers included, so bearer tokens) in us-east-1 for three hours.
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: false,
      metricName,
    });
    const managed = MANAGED_RULE_GROUPS.map(
      (name, i): wafv2.CfnWebACL.RuleProperty => ({
        name,
        priority: i,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
        visibilityConfig: visibility(name),
      }),
    );
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `${this.stackName}-web-acl`,
      description: 'Waymark: web app and API behind CloudFront',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${this.stackName}-web-acl`),
      rules: [
        ...managed,
        {
          name: 'RateLimitPerIp',
          priority: managed.length,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
      ],
    });
    Validations.of(this.webAcl).acknowledge({
      id: 'NIST.800.53.R5-WAFv2LoggingEnabled',
      reason:
        'WAF logs of a CLOUDFRONT web ACL can only be delivered in us-east-1 and would hold source IP addresses and request URIs of champions and supervisors: personal data kept outside the UK. The web ACL keeps CloudWatch metrics per rule instead (sampled requests are off too: they would hold headers, bearer tokens included, in us-east-1); API requests are access-logged in eu-west-2.',
    });
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn });
  }
}
