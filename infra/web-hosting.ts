import { Aws, CfnElement, CfnOutput, Duration, NestedStack, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb } from '../web/build';
import { ORIGIN_VERIFY_HEADER } from '../shared/http/origin-verify';
import { wildcardResourceFinding } from './nag';

export interface WebHostingProps {
  api: HttpApi;
  userPool: cognito.UserPool;
  userPoolClient: cognito.UserPoolClient;
  /** The origin users reach the app at (context `webOrigin`): OAuth callback, CORS origin. */
  webOrigin: string;
  /** ARN of the CLOUDFRONT-scope WAF web ACL (infra/edge.ts, us-east-1); none in tests of this construct alone. */
  webAclArn?: string;
  /** What happens to the bucket when the stack is deleted (infra/stage.ts); default RETAIN. */
  removalPolicy?: RemovalPolicy;
  /** The origin header's value (a dynamic reference to its secret), added to every request forwarded to the API. */
  originVerifyValue?: string;
}

/** The path prefix under which CloudFront forwards requests to the HTTP API (with the prefix removed). */
export const API_PATH_PREFIX = '/api';

/**
 * The web app in AWS: the built files in a private S3 bucket, served by
 * CloudFront through origin access control, with a response headers policy
 * (strict CSP, HSTS, no referrer, frame denial, nosniff); `config.json`
 * written at deploy with the API's path (`/api` on this distribution, behind the WAF web ACL) and Cognito's hosted sign-in endpoints
 * (authorization code + PKCE), so the app runs the same code as on one machine.
 *
 * Context: `cognitoDomainPrefix` (default `<stack name, lower case>-<account id>`), and for a
 * custom domain `webCertificateArn` (an ACM certificate in us-east-1 for the
 * host of `webOrigin`): then CloudFront serves that host with TLS 1.2 at least.
 *
 * A nested stack of the Waymark stack (deployed with it by `cdk deploy`): the
 * hosting, and the deployment function CDK brings with BucketDeployment, stay
 * apart from the API's resources and their least-privilege checks.
 */
export class WebHosting extends NestedStack {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id, { description: 'Waymark web app: S3 + CloudFront' });
    const stack = Stack.of(this);
    const parent = Stack.of(scope);
    // `waymark-<account>` for the prod stack (Waymark), `waymark-dev-<account>` for dev: both stages fit in one account.
    const prefix = (this.node.tryGetContext('cognitoDomainPrefix') as string | undefined) ?? `${parent.stackName.toLowerCase()}-${Aws.ACCOUNT_ID}`;
    const certificateArn = this.node.tryGetContext('webCertificateArn') as string | undefined;
    const host = new URL(props.webOrigin).hostname;

    // Cognito's hosted sign-in (the OAuth endpoints the app's PKCE flow uses).
    this.domain = props.userPool.addDomain('HostedSignIn', { cognitoDomain: { domainPrefix: prefix } });
    const signInOrigin = this.domain.baseUrl();

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      // dev: emptied on stack deletion, so `cdk destroy` completes (the bucket holds only the built app).
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the built static web app (HTML, JavaScript, CSS; no data of any kind), written by the deployment and read only by CloudFront through origin access control; API calls, which carry case data, are logged by API Gateway\'s access log and the audit trail.',
    });

    const nist: Record<string, string> = {
      'NIST.800.53.R5-S3BucketReplicationEnabled': 'The bucket holds only the static build, recreated from source control by every deployment; a replica would add nothing and, in another region, take it out of the UK.',
      'NIST.800.53.R5-S3BucketVersioningEnabled': 'Each deployment replaces the whole static build from source control (BucketDeployment with prune); earlier versions of the app are in git, not in the bucket.',
      'NIST.800.53.R5-S3BucketLoggingEnabled': 'The bucket is read only by CloudFront (origin access control) and written only by the deployment; it holds no data, and API calls (which carry case data) are access-logged by API Gateway and audited.',
      'NIST.800.53.R5-S3DefaultEncryptionKMS': 'The bucket holds only the public static build (HTML, JavaScript, CSS; no data); SSE-S3 encrypts it at rest without making CloudFront depend on the stack key.',
    };
    for (const [findingId, reason] of Object.entries(nist)) Validations.of(this.bucket).acknowledge({ id: findingId, reason });

    // The API's own address answers only requests carrying the origin header this distribution adds: the app uses /api here.
    const apiOriginDomain = `${props.api.apiId}.execute-api.${stack.region}.${Aws.URL_SUFFIX}`;
    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      `connect-src 'self' ${signInOrigin}`,
      "object-src 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
      "base-uri 'none'",
    ].join('; ');
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Waymark web app: strict CSP, HSTS, no referrer, no framing, nosniff',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true }],
      },
    });

    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    // The API behind the same distribution (and so the same WAF web ACL): `/api/<route>` goes to the HTTP API as
    // `/<route>`, never cached, with every viewer header (Authorization included) except Host, which API Gateway needs as its own.
    const stripApiPrefix = new cloudfront.Function(this, 'StripApiPrefix', {
      comment: 'Waymark: /api/<route> -> /<route> for the HTTP API origin',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        `function handler(event) { var r = event.request; r.uri = r.uri.substring(${API_PATH_PREFIX.length}) || '/'; return r; }`,
      ),
    });
    const apiBehaviour: cloudfront.BehaviorOptions = {
      origin: new origins.HttpOrigin(apiOriginDomain, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        // The API refuses requests without it (shared/http/origin-verify.ts): only this distribution, behind the WAF, reaches it.
        ...(props.originVerifyValue ? { customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originVerifyValue } } : {}),
      }),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
      compress: false,
      functionAssociations: [{ function: stripApiPrefix, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    };
    const certificate = certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', certificateArn) : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Waymark web app',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      ...(certificate ? { certificate, domainNames: [host], minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 } : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        // index.html and config.json: always fresh.
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      additionalBehaviors: {
        // Hashed file names: cached as long as CloudFront likes.
        'assets/*': {
          origin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: headers,
          compress: true,
        },
        [`${API_PATH_PREFIX}/*`]: apiBehaviour,
      },
    });
    const acknowledge = (findingId: string, reason: string) => Validations.of(this.distribution).acknowledge({ id: findingId, reason });
    acknowledge(
      'AwsSolutions-CFR1',
      'Who may use Waymark is decided by sign-in (Cognito users created by an administrator, MFA required), not by country; the static files reveal nothing, and champions travelling abroad must still be able to leave a page quickly.',
    );
    if (!props.webAclArn) {
      acknowledge('AwsSolutions-CFR2', 'This construct is given the web ACL of infra/edge.ts by the Waymark stack; only its own tests build it without one.');
    }
    acknowledge(
      'AwsSolutions-CFR3',
      'The distribution serves only the static build (no data; URLs never carry case data: the app navigates in memory); CloudFront standard logs need an ACL-enabled log bucket, which the project avoids. API requests are logged by API Gateway and audited.',
    );
    if (!certificate) {
      acknowledge(
        'AwsSolutions-CFR4',
        "Without a custom domain CloudFront's default certificate is used, whose minimum protocol CloudFront fixes at TLSv1; deploy with -c webOrigin=https://<host> -c webCertificateArn=<ACM certificate in us-east-1> to serve the app on its own host with TLS 1.2 at least (TLS_V1_2_2021).",
      );
    }

    // The built app (built now, into a folder of this synthesis: the asset is always the current source), and its configuration.
    const built = buildWeb(mkdtempSync(join(tmpdir(), 'waymark-web-asset-')));
    const deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        s3deploy.Source.asset(built.outdir),
        s3deploy.Source.jsonData('config.json', {
          // Same origin as the app: through CloudFront and its web ACL (the API refuses requests that did not come through it).
          apiUrl: API_PATH_PREFIX,
          clientId: props.userPoolClient.userPoolClientId,
          authorizationEndpoint: `${signInOrigin}/oauth2/authorize`,
          tokenEndpoint: `${signInOrigin}/oauth2/token`,
          logoutEndpoint: `${signInOrigin}/logout`,
          scope: 'openid',
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json', '/'],
      prune: true,
      memoryLimit: 256,
    });
    acknowledgeDeploymentHandler(stack, deployment, this.bucket);

    new CfnOutput(parent, 'WebUrl', { value: `https://${this.distribution.distributionDomainName}/`, description: 'The web app (CloudFront); use a custom domain through webOrigin and webCertificateArn' });
    new CfnOutput(parent, 'SignInDomain', { value: signInOrigin, description: 'Cognito hosted sign-in' });
  }
}

/** The CDK-provided deployment function (a singleton per stack) and its role: findings that are the library's, not the app's, each named. */
function acknowledgeDeploymentHandler(stack: Stack, deployment: s3deploy.BucketDeployment, bucket: s3.Bucket): void {
  const copy =
    "CDK's BucketDeployment function copies the built app from the CDK asset bucket into the web bucket (replacing and pruning old files); these are the object-level actions the library grants for that, limited to those two buckets, and it runs only during deployments.";
  const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnElement);
  // The CDK asset bucket(s) the build and config.json are read from, named from the deployment's own assets: whatever the
  // account, region and bootstrap qualifier (`@aws-cdk/core:bootstrapQualifier`) of this synthesis are.
  const assetObjects = [
    ...new Set(deployment.node.children.filter((c): c is s3assets.Asset => c instanceof s3assets.Asset).map((a) => wildcardResourceFinding(stack, a.bucket.arnForObjects('*')))),
  ];
  if (assetObjects.length === 0) throw new Error('BucketDeployment has no asset source: the acknowledgement of its asset bucket grant would name nothing');
  const findings: Record<string, string> = {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
      "CDK's BucketDeployment function writes its own logs with AWSLambdaBasicExecutionRole; it runs only during deployments.",
    'AwsSolutions-IAM5[Action::s3:GetObject*]': copy,
    'AwsSolutions-IAM5[Action::s3:GetBucket*]': copy,
    'AwsSolutions-IAM5[Action::s3:List*]': copy,
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]': copy,
    'AwsSolutions-IAM5[Action::s3:Abort*]': copy,
    [`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`]: copy,
    ...Object.fromEntries(assetObjects.map((finding) => [finding, copy])),
    'AwsSolutions-IAM5[Resource::*]':
      "cloudfront:CreateInvalidation (and its status) for the deployment's invalidation of index.html and config.json, as CDK's BucketDeployment grants it; it runs only during deployments.",
  };
  for (const [findingId, reason] of Object.entries(findings)) Validations.of(deployment.handlerRole).acknowledge({ id: findingId, reason });
  Validations.of(deployment.handlerRole).acknowledge({
    id: 'NIST.800.53.R5-IAMNoInlinePolicy',
    reason: "CDK's BucketDeployment function's role, with the policy aws-cdk-lib generates for it (copying the build into the web bucket, invalidating the distribution); it runs only during deployments.",
  });
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (handler) {
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: "The runtime of CDK's BucketDeployment function is chosen by aws-cdk-lib and moves forward with it; it runs only during deployments.",
    });
    const library = "CDK's BucketDeployment function (aws-cdk-lib) runs only during deployments, as a CloudFormation custom resource";
    const findings: Record<string, string> = {
      'NIST.800.53.R5-LambdaDLQ': `${library}: CloudFormation waits for its answer and fails the deployment if it fails, so a dead-letter queue would never be read.`,
      'NIST.800.53.R5-LambdaInsideVPC': `${library}, and talks only to S3 and CloudFront endpoints; a VPC would need NAT or endpoints for nothing.`,
      'NIST.800.53.R5-LambdaConcurrency': `${library}, once per deployment; reserving concurrency for it would take capacity from the API.`,
      'NIST.800.53.R5-CloudWatchLogGroupEncrypted': `The log group of ${library}: it logs file-copy progress of the static build only (no case or personal data) and is not encrypted with the stack key, which this nested stack does not hold.`,
    };
    for (const [findingId, reason] of Object.entries(findings)) Validations.of(handler).acknowledge({ id: findingId, reason });
  }
}
