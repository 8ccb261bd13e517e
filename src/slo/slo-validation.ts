import { IConstruct } from 'constructs';
import { BurnRatePolicy, MAX_MIN_BAD_EVENTS } from './burn-rate-policy';
import { Sli } from './sli';
import { ServiceLevelObjectiveProps } from './slo-props';
import { AlarmRouting } from '../core/alarm-routing';
import { Check, Checks, checkProps, checkRequired } from '../core/checks';
import { OpsTags } from '../core/ops-tags';

const oneLine = Checks.string({ nonEmpty: true, pattern: /^[^\r\n|]*$/, patternText: "one line without '|' (it goes into the alarm summary)" });

/** The checks every SLO prop gets, shared with the SLO options services take (`ServiceSloOptions`). */
export const SLO_OPTION_CHECKS: Record<string, readonly [Check, string?]> = {
  objective: [Checks.number(), 'Give a percentage such as 99.9.'],
  period: [Checks.duration(), 'E.g. Duration.days(30).'],
  policy: [Checks.instance(BurnRatePolicy.isBurnRatePolicy, 'a BurnRatePolicy (BurnRatePolicy.SRE_WORKBOOK, BurnRatePolicy.of(...))')],
  minBadEvents: [Checks.number({ integer: true, min: 0, max: MAX_MIN_BAD_EVENTS }), '0 turns the guard off; the presets use 5.'],
  sloName: [Checks.string({ tokens: false }), "E.g. 'quote-success'."],
  description: [oneLine, "E.g. 'Quote lookups succeed'."],
  applicationSignals: [Checks.boolean],
};

/**
 * Plain-JavaScript callers get a precise error for each prop of the wrong shape (the construct path, the prop, the value
 * and the fix), never a TypeError later or a setting silently ignored.
 */
export function validateSloProps(scope: IConstruct, props: ServiceLevelObjectiveProps): void {
  checkProps(scope, 'ServiceLevelObjectiveProps', props, {
    ...SLO_OPTION_CHECKS,
    serviceName: [Checks.string({ tokens: false }), "E.g. 'quotes'."],
    routing: [Checks.instance(AlarmRouting.isAlarmRouting, 'an AlarmRouting (new AlarmRouting({ page: [AlarmDestination.sns(topic)] }))')],
    runbook: [Checks.procedure, "E.g. 'https://runbooks.example.com/quotes' or a runbook's documentName."],
    playbook: [Checks.procedure, "E.g. a Playbook's documentName."],
    generatePlaybook: [Checks.boolean],
    dashboardUrl: [Checks.url, 'Link the dashboard with its console URL, e.g. dashboard.dashboardUrl.'],
    ownComposites: [Checks.boolean],
  });
  checkRequired(scope, 'sli', props.sli, Checks.instance(Sli.isSli, 'an Sli (Sli.ratio(...), Sli.latency(...), Sli.percentGood(...))'));
  // The runbook (else the playbook) becomes the ops:runbook tag of every alarm: it must be a legal tag value.
  if (props.runbook !== undefined) OpsTags.validate(scope, OpsTags.RUNBOOK, props.runbook, 'runbook');
  else if (props.playbook !== undefined) OpsTags.validate(scope, OpsTags.RUNBOOK, props.playbook, 'playbook');
}
