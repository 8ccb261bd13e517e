import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { OpsTags } from '../../../core/ops-tags';
import { componentAlarms, isComponent } from '../../component-evidence';
import { dashboardEvidence, serviceKey } from '../../dashboard-evidence';
import { AppIndex, RenderedResource, appIndex, render } from '../../evidence';
import { identityOf } from '../../identity';
import { defineRule } from '../../rule';

const DASHBOARD = 'AWS::CloudWatch::Dashboard';

/** The resources of each service (by `ops:workload` and `ops:service`), dashboards left out, in app order (built once). */
function serviceMembers(index: AppIndex): Map<string, RenderedResource[]> {
  return index.memo('service-members', () => {
    const groups = new Map<string, RenderedResource[]>();
    for (const r of index.resources) {
      if (r.tags[OpsTags.SERVICE] === undefined || r.type === DASHBOARD) continue;
      const group = groups.get(serviceKey(r));
      if (group) group.push(r);
      else groups.set(serviceKey(r), [r]);
    }
    return groups;
  });
}

/** Whether some dashboard shows a component: its body references it or names it, or shows an alarm watching it. */
function componentShown(index: AppIndex, component: RenderedResource): boolean {
  const shown = dashboardEvidence(index);
  if (shown.idsByStack.get(component.stack.node.path)?.has(component.logicalId)) return true;
  if ((identityOf(index, component)?.names ?? []).some((name) => shown.quoted.has(name))) return true;
  return componentAlarms(index, component).some((alarm) => shown.alarms.has(alarm));
}

/**
 * Every service (by its `ops:service` tag) has a dashboard: one tagged with the service, named after it, or showing
 * metrics of its resources; reported once per service, on its first resource. Every component outside a service (a
 * function, API stage, ECS service, table, queue, load balancer, target group or database without `ops:service`) is
 * shown by some dashboard: one that graphs its metrics, names it, or shows an alarm watching it (finding NotOnDashboard).
 */
export default defineRule({
  name: 'ServiceDashboard',
  area: 'observability',
  bestPractices: ['OPS08-BP05', 'OPS10-BP06'],
  level: NagMessageLevel.WARN,
  info: `No CloudWatch dashboard shows this: the service named by its '${OpsTags.SERVICE}' tag has none, or (a component outside ` +
    'any service) no dashboard graphs its metrics, names it or shows an alarm watching it.',
  explanation: 'OPS08-BP05 Create dashboards, OPS10-BP06 Communicate status through dashboards: on-call and stakeholders need one ' +
    'place that shows the service\'s health, SLOs and dependencies; a component nobody graphs is a blind spot during an incident.',
  fix: 'cdk-operable services create a ServiceDashboard (serviceDashboard.addWidgets / addAlarms for a component it does not own); ' +
    `otherwise create a cloudwatch.Dashboard showing the service's metrics and tag it '${OpsTags.SERVICE}', or add a widget with ` +
    'the component\'s metrics (or an alarm on them) to an existing dashboard.',
}, (node) => {
  const resource = render(node);
  if (resource.type === DASHBOARD) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const index = appIndex(node);
  const service = resource.tags[OpsTags.SERVICE];
  if (!service) {
    if (!isComponent(resource)) return NagRuleCompliance.NOT_APPLICABLE;
    return componentShown(index, resource) ? NagRuleCompliance.COMPLIANT : ['NotOnDashboard'];
  }
  const members = serviceMembers(index).get(serviceKey(resource))!;
  if (members[0] !== resource) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const shown = dashboardEvidence(index);
  const lower = service.toLowerCase();
  const found = shown.serviceKeys.has(serviceKey(resource)) || shown.names.some((name) => name.includes(lower)) ||
    shown.quoted.has(service) || members.some((m) => shown.idsByStack.get(m.stack.node.path)?.has(m.logicalId));
  return found ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
