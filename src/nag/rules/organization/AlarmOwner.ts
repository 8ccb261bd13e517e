import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AlarmDescription } from '../../../core/alarm-description';
import { OpsTags } from '../../../core/ops-tags';
import { ALARM_TYPES, alarmActions } from '../../alarm-evidence';
import { literals, render } from '../../evidence';
import { defineRule } from '../../rule';

/** The owning team an alarm names: its `ops:owner` tag, the footer's `Owner:` field, or an `Owner:` in free text. */
function namedOwner(tags: Record<string, string>, description: string): string | undefined {
  const named = (value: string | undefined) => (value?.trim() && value.trim().toLowerCase() !== AlarmDescription.NONE ? value.trim() : undefined);
  return named(tags[OpsTags.OWNER]) ?? named(AlarmDescription.parse(description)?.owner) ?? named(/\bOwner:\s*([^|\n]+)/i.exec(description)?.[1]);
}

/**
 * Every alarm that notifies names the team responsible for responding: an `ops:owner` tag, or `Owner:` in its
 * description (the footer cdk-operable writes). Alarms without actions (window alarms feeding a composite) are not
 * concerned: the composite that notifies is.
 */
export default defineRule({
  name: 'AlarmOwner',
  area: 'organization',
  bestPractices: ['OPS02-BP03'],
  level: NagMessageLevel.WARN,
  info: `The alarm notifies but names no owning team (no '${OpsTags.OWNER}' tag, no 'Owner:' in its description).`,
  explanation: 'OPS02-BP03 Operations activities have identified owners responsible for their performance: responding to an ' +
    'alert is an operations activity; the notification must say which team answers for it, so it is not bounced around.',
  fix: `Build it inside a cdk-operable Workload (the footer names the owner and the '${OpsTags.OWNER}' tag is set), describe it with ` +
    `AlarmDescription.render({ owner, ... }), or Tags.of(alarm).add('${OpsTags.OWNER}', team).`,
}, (node) => {
  if (!ALARM_TYPES.includes(node.cfnResourceType)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const alarm = render(node);
  if (alarmActions(alarm).length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return namedOwner(alarm.tags, literals(alarm.properties.AlarmDescription).join('')) !== undefined
    ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
