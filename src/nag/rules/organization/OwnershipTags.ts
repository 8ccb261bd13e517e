import { TagManager } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { OpsTags } from '../../../core/ops-tags';
import { isUntaggableFrameworkResource, render } from '../../evidence';
import { defineRule } from '../../rule';

const REQUIRED = [OpsTags.OWNER, OpsTags.ONCALL, OpsTags.TIER];

/**
 * Every taggable resource (tag manager of either kind) names its owner, its on-call and its tier; each missing key is
 * its own finding. Types whose service rejects ':' in tag keys (`OpsTags.NO_COLON_TAG_KEY_TYPES`) are exempt.
 */
export default defineRule({
  name: 'OwnershipTags',
  area: 'organization',
  bestPractices: ['OPS02-BP01'],
  level: NagMessageLevel.ERROR,
  info: `The resource lacks an ownership tag (${REQUIRED.join(', ')}): nobody is known to own it, answer for it or be paged for it.`,
  explanation: 'OPS02-BP01 Resources have identified owners: an alarm, a cost spike or a security finding on an unowned resource ' +
    'waits until someone guesses whose it is.',
  fix: `Build inside a cdk-operable Workload (it tags every resource), or Tags.of(scope).add('${OpsTags.OWNER}', team) and the same for ` +
    `'${OpsTags.ONCALL}' and '${OpsTags.TIER}'. Acknowledge one key with 'OpsExcellence::OPS-OwnershipTags[<key>]'.`,
}, (node) => {
  if (!(TagManager.isTaggable(node) || TagManager.isTaggableV2(node)) || OpsTags.NO_COLON_TAG_KEY_TYPES.includes(node.cfnResourceType)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const resource = render(node);
  if (isUntaggableFrameworkResource(resource)) return NagRuleCompliance.NOT_APPLICABLE;
  const tags = resource.tags;
  const missing = REQUIRED.filter((key) => !tags[key]?.trim());
  return missing.length === 0 ? NagRuleCompliance.COMPLIANT : missing;
});
