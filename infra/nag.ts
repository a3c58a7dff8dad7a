import type { Stack } from 'aws-cdk-lib';

/**
 * A value of the template as cdk-nag names it in a finding: the resolved CloudFormation
 * value flattened the way cdk-nag's `flattenCfnReference` does (`Ref` → `<Name>`,
 * `Fn::GetAtt` → `<Name.Attr>`, `Fn::Join` joined, `${...}` → `<...>`).
 *
 * Acknowledgements that name a resource are built with this from the stack's own
 * constructs, never written out by hand: a hand-written `<AWS::AccountId>` or bootstrap
 * qualifier matches only the environment it was written for, and synthesis with a
 * concrete account (as `cdk deploy` has) or a council's own qualifier would then fail.
 */
export function nagName(stack: Stack, value: unknown): string {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (Array.isArray(o['Fn::Join'])) {
        const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
        return items.map(visit).join(delimiter);
      }
      if ('Fn::Sub' in o) return visit(o['Fn::Sub']);
      if (Array.isArray(o['Fn::GetAtt'])) {
        const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
        return `<${visit(resource)}.${visit(attribute)}>`;
      }
      if ('Fn::ImportValue' in o) return visit(o['Fn::ImportValue']);
      if ('Ref' in o) return `<${visit(o['Ref'])}>`;
    }
    return JSON.stringify(node);
  };
  return visit(stack.resolve(value));
}

/** The id of an AwsSolutions-IAM5 finding on a wildcard resource. */
export const wildcardResourceFinding = (stack: Stack, arn: string): string => `AwsSolutions-IAM5[Resource::${nagName(stack, arn)}]`;
