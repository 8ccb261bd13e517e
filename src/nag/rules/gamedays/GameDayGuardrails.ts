import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { render } from '../../evidence';
import { defineRule } from '../../rule';

/** The FIS stop-condition source of a CloudWatch alarm. */
const ALARM_SOURCE = 'aws:cloudwatch:alarm';

/**
 * Game days run with guardrails: every FIS experiment template stops when a CloudWatch alarm fires (a stop condition
 * whose source is an alarm, not `none`), and logs what it did (a log configuration) for the review after the game day.
 * Findings: NoStopCondition, NoExperimentLog.
 */
export default defineRule({
  name: 'GameDayGuardrails',
  area: 'gamedays',
  bestPractices: ['OPS11-BP09'],
  level: NagMessageLevel.WARN,
  info: 'The fault-injection experiment has no guardrail: no CloudWatch alarm stops it, or it logs nothing to review afterwards ' +
    '(the finding in brackets says which).',
  explanation: 'OPS11-BP09 Allocate time to make improvements: game days run with Fault Injection Service to rehearse failures ' +
    'and improve, with the controls and guardrails teams need to experiment safely: an alarm that stops the experiment when ' +
    'customers are hurt, and a log of what was injected.',
  fix: 'cdk-operable GameDay (the service\'s page composite stops every experiment; a retained experiment log); with plain ' +
    'aws-cdk-lib, stopConditions: [{ source: \'aws:cloudwatch:alarm\', value: alarm.alarmArn }] and logConfiguration on the ' +
    'fis.CfnExperimentTemplate.',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::FIS::ExperimentTemplate') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const template = render(node).properties;
  const stops = Array.isArray(template.StopConditions) ? template.StopConditions : [];
  const findings = [
    ...(stops.some((s) => (s as { Source?: unknown })?.Source === ALARM_SOURCE && (s as { Value?: unknown }).Value !== undefined)
      ? [] : ['NoStopCondition']),
    ...(template.LogConfiguration === undefined ? ['NoExperimentLog'] : []),
  ];
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
