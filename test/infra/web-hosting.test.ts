import { App, Stack, Validations } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebHosting } from '../../infra/web-hosting';

type Json = Record<string, any>;

/** The hosting construct alone, in a small stack (no function bundling), checked by cdk-nag as the app is. */
function synth(context: Record<string, unknown> = {}) {
  const app = new App({ context });
  const stack = new Stack(app, 'WebTest', { env: { region: 'eu-west-2' } });
  const userPool = new cognito.UserPool(stack, 'Pool');
  const userPoolClient = userPool.addClient('Client');
  const api = new HttpApi(stack, 'Api');
  const web = new WebHosting(stack, 'Web', { api, userPool, userPoolClient, webOrigin: String(context['webOrigin'] ?? 'https://waymark.example.gov.uk') });
  // The pool and API here are stand-ins for the stack's (whose own findings stack.test.ts checks).
  for (const id of ['AwsSolutions-COG1', 'AwsSolutions-COG2', 'AwsSolutions-COG3', 'AwsSolutions-COG8']) Validations.of(userPool).acknowledge({ id, reason: 'test stand-in' });
  for (const id of ['AwsSolutions-APIG1', 'AwsSolutions-APIG4']) Validations.of(api).acknowledge({ id, reason: 'test stand-in' });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const template = Template.fromStack(web);
  return { app, stack, web, template, resources: template.toJSON().Resources as Record<string, Json> };
}

let s: ReturnType<typeof synth>;
beforeAll(() => {
  s = synth();
}, 60_000);

const ofType = (type: string) => Object.values(s.resources).filter((r) => r.Type === type);

describe('web hosting', () => {
  it('keeps the files in a private, encrypted, TLS-only bucket', () => {
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    const policy = JSON.stringify(ofType('AWS::S3::BucketPolicy'));
    expect(policy).toContain('"aws:SecureTransport":"false"');
    // Only CloudFront (origin access control, this distribution) may read.
    expect(policy).toContain('cloudfront.amazonaws.com');
    expect(policy).toContain('AWS:SourceArn');
  });

  it('serves through CloudFront with origin access control, HTTPS only', () => {
    expect(ofType('AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    s.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
      }),
    });
  });

  it('sends a strict CSP, HSTS, no referrer, frame denial and nosniff on every response', () => {
    const [policy] = ofType('AWS::CloudFront::ResponseHeadersPolicy');
    const security = policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain('connect-src');
    expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true });
    expect(security.ReferrerPolicy.ReferrerPolicy).toBe('no-referrer');
    expect(security.FrameOptions.FrameOption).toBe('DENY');
    expect(security.ContentTypeOptions.Override).toBe(true);
    const dist = JSON.stringify(ofType('AWS::CloudFront::Distribution'));
    const behaviours = (JSON.parse(dist) as Json[])[0]!.Properties.DistributionConfig;
    for (const b of [behaviours.DefaultCacheBehavior, ...behaviours.CacheBehaviors]) expect(b.ResponseHeadersPolicyId).toBeDefined();
  });

  it('deploys the built app and a config.json naming the API and Cognito\'s hosted sign-in', () => {
    const [deployment] = ofType('Custom::CDKBucketDeployment');
    expect(deployment).toBeDefined();
    const json = JSON.stringify(deployment);
    // config.json is an asset whose deploy-time values (API URL, client id, sign-in domain) are filled in by the deployment.
    expect(deployment!.Properties.SourceMarkers.length).toBe(2);
    const markers = JSON.stringify(deployment!.Properties.SourceMarkers);
    expect(markers).toContain('HostedSignIn');
    // The API is reached through the same distribution (/api/*, infra/web-hosting.ts), so config.json names no API host.
    expect(markers).not.toContain('ApiEndpoint');
    Template.fromStack(s.stack).resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('passes cdk-nag with only the named acknowledgements', () => {
    const assembly = s.app.synth();
    const errors = [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((n) => n.nestedAssembly.stacks)].flatMap((st) => st.messages).filter((m) => m.level === 'error');
    expect(errors.map((e) => `${e.id} ${String(e.entry.data)}`)).toEqual([]);
  });

  it('with a custom domain and certificate, requires TLS 1.2 at least', () => {
    const custom = synth({ webOrigin: 'https://waymark.example.gov.uk', webCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' });
    custom.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['waymark.example.gov.uk'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }),
      }),
    });
  }, 60_000);
});
