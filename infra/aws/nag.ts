import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';

/**
 * The compliance packs every synthesis runs (docs/security.md §5): AWS Solutions and NIST 800-53 rev 5,
 * as CDK validation plugins (cdk-nag 3). An unacknowledged error fails the synthesis; the infra
 * tests also fail on an unacknowledged warning. Every acknowledgement sits next to the resource
 * it concerns, with its reason.
 */
export const applyCompliancePacks = (app: App): void => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
};

/** The plugin names of the packs, as they appear in the validation report. */
export const COMPLIANCE_PACK_NAMES = [new AwsSolutionsChecks().name, new NIST80053R5Checks().name];

/**
 * A resolved CloudFormation value flattened the way cdk-nag names findings (Ref → <Id>,
 * Fn::GetAtt → <Id.Attr>, Fn::Join concatenated), so an acknowledgement can name the exact
 * finding `AwsSolutions-IAM5[Resource::…]` of a resource the code built, instead of a copy of it.
 */
export const flattenForNag = (value: unknown): string => {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const o = value as Record<string, unknown>;
  if (Array.isArray(o['Fn::Join'])) {
    const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flattenForNag).join(delimiter);
  }
  if (o['Fn::Sub'] !== undefined) return flattenForNag(o['Fn::Sub']);
  if (Array.isArray(o['Fn::GetAtt'])) {
    const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenForNag(resource)}.${flattenForNag(attribute)}>`;
  }
  if (o.Ref !== undefined) return `<${flattenForNag(o.Ref)}>`;
  return JSON.stringify(value);
};
