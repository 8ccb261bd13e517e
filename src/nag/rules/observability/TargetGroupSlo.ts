import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { alarmsWatching, isBurnRateAlarm } from '../../alarm-evidence';
import { AppIndex, RenderedResource, appIndex, literals, referencedIds, render } from '../../evidence';
import { identityOf } from '../../identity';
import { defineRule } from '../../rule';

const LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';

const key = (r: RenderedResource, id: string) => `${r.stack.node.path}\u0000${id}`;

/** The target groups an action list forwards to (`TargetGroupArn`, or the weighted `ForwardConfig.TargetGroups`). */
function forwardedTo(actions: unknown): Set<string> {
  const ids = new Set<string>();
  for (const action of Array.isArray(actions) ? actions : []) {
    const a = action as { TargetGroupArn?: unknown; ForwardConfig?: { TargetGroups?: unknown } };
    referencedIds(a?.TargetGroupArn, ids);
    for (const tg of Array.isArray(a?.ForwardConfig?.TargetGroups) ? a.ForwardConfig!.TargetGroups as unknown[] : []) {
      referencedIds((tg as { TargetGroupArn?: unknown })?.TargetGroupArn, ids);
    }
  }
  return ids;
}

/** For every application load balancer of the app, the target groups its listeners and listener rules forward to (built once). */
function targetGroupsByLoadBalancer(index: AppIndex): { groups: Map<string, Set<string>>; balancers: Map<string, RenderedResource[]> } {
  return index.memo('target-groups-by-load-balancer', () => {
    const listenerLb = new Map<string, RenderedResource>();
    const groups = new Map<string, Set<string>>();
    const balancers = new Map<string, RenderedResource[]>();
    const link = (lb: RenderedResource, tgIds: Set<string>) => {
      const set = groups.get(key(lb, lb.logicalId)) ?? new Set<string>();
      for (const id of tgIds) {
        set.add(id);
        const list = balancers.get(key(lb, id)) ?? [];
        if (!list.includes(lb)) list.push(lb);
        balancers.set(key(lb, id), list);
      }
      groups.set(key(lb, lb.logicalId), set);
    };
    for (const listener of index.ofType(LISTENER)) {
      const lb = [...referencedIds(listener.properties.LoadBalancerArn)].map((id) => index.byLogicalId(listener.stack, id))
        .find((r) => r?.type === LOAD_BALANCER);
      if (!lb || (lb.properties.Type !== undefined && lb.properties.Type !== 'application')) continue;
      listenerLb.set(key(listener, listener.logicalId), lb);
      link(lb, forwardedTo(listener.properties.DefaultActions));
    }
    for (const rule of index.ofType(LISTENER_RULE)) {
      const lb = [...referencedIds(rule.properties.ListenerArn)].map((id) => listenerLb.get(key(rule, id))).find((x) => x !== undefined);
      if (lb) link(lb, forwardedTo(rule.properties.Actions));
    }
    return { groups, balancers };
  });
}

/** Whether a resource has an SLO: two burn-rate alarms or more on its metrics, or an Application Signals SLO naming it. */
function hasSlo(index: AppIndex, resource: RenderedResource): boolean {
  const identity = identityOf(index, resource)!;
  if (alarmsWatching(index, resource, identity).filter(isBurnRateAlarm).length >= 2) return true;
  return index.ofType('AWS::ApplicationSignals::ServiceLevelObjective').some((slo) => (slo.stack === resource.stack &&
    identity.ids.some((id) => referencedIds(slo.properties).has(id))) || literals(slo.properties).some((t) => identity.names.includes(t)));
}

/**
 * The services behind an application load balancer have an SLO: each target group a listener forwards to is watched by
 * burn-rate alarms on its own metrics (the `TargetGroup` dimension) or an Application Signals SLO; a target group that is
 * the only one behind its load balancer is also covered by an SLO on the load balancer. Target groups no application
 * load balancer of the app forwards to are not concerned.
 */
export default defineRule({
  name: 'TargetGroupSlo',
  area: 'observability',
  bestPractices: ['OPS04-BP01'],
  level: NagMessageLevel.WARN,
  info: 'The service behind this load-balancer target group has no SLO: no pair of burn-rate alarms on the target group (or on ' +
    'its load balancer, when it is the only target group) and no Application Signals SLO.',
  explanation: 'OPS04-BP01 Identify key performance indicators: each service behind a load balancer needs an objective for what ' +
    'its users experience (5XX rate, response time) and alerting on how fast its error budget burns; a load balancer with ' +
    'several target groups averages their errors and hides one failing service.',
  fix: 'new ServiceLevelObjective(...) with an Sli.ratio of the target group\'s HTTPCode_Target_5XX_Count over RequestCount ' +
    '(targetGroup.metrics.httpCodeTarget(...), targetGroup.metrics.requestCount()), or describe your burn-rate alarms on its ' +
    'metrics as such (or tag them ops:slo).',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::ElasticLoadBalancingV2::TargetGroup') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const group = render(node);
  const index = appIndex(node);
  const { groups, balancers } = targetGroupsByLoadBalancer(index);
  const lbs = balancers.get(key(group, group.logicalId)) ?? [];
  if (lbs.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (hasSlo(index, group)) {
    return NagRuleCompliance.COMPLIANT;
  }
  const onlyGroup = lbs.every((lb) => groups.get(key(lb, lb.logicalId))!.size === 1);
  return onlyGroup && lbs.some((lb) => hasSlo(index, lb)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
