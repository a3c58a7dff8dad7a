/** The context a real prod deployment is synthesized with (prod refuses to synthesize without an origin and certificate). */
export const PROD_CONTEXT = {
  stage: 'prod',
  webOrigin: 'https://waymark.council.example.gov.uk',
  webCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666',
} as const;
