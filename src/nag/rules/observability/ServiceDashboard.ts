import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { OpsTags } from '../../../core/ops-tags';
import { RenderedResource, appIndex, literals, referencedIds, render, str } from '../../evidence';
import { defineRule } from '../../rule';

const serviceKey = (r: RenderedResource) => `${r.tags[OpsTags.WORKLOAD] ?? ''}\u0000${r.tags[OpsTags.SERVICE]}`;

/**
 * Every service (by its `ops:service` tag) has a dashboard: one tagged with the service, named after it, or showing
 * metrics of its resources. Reported once per service, on its first resource.
 */
export default defineRule({
  name: 'ServiceDashboard',
  area: 'observability',
  bestPractices: ['OPS08-BP05', 'OPS10-BP06'],
  level: NagMessageLevel.WARN,
  info: `The service named by this resource's '${OpsTags.SERVICE}' tag has no CloudWatch dashboard.`,
  explanation: 'OPS08-BP05 Create dashboards, OPS10-BP06 Communicate status through dashboards: on-call and stakeholders need one ' +
    'place that shows the service\'s health, SLOs and dependencies.',
  fix: 'cdk-operable services create a ServiceDashboard; otherwise create a cloudwatch.Dashboard showing the service\'s metrics and ' +
    `tag it '${OpsTags.SERVICE}'.`,
}, (node) => {
  const resource = render(node);
  const service = resource.tags[OpsTags.SERVICE];
  if (!service || resource.type === 'AWS::CloudWatch::Dashboard') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const index = appIndex(node);
  const key = serviceKey(resource);
  const services = index.memo('service-members', () => {
    const groups = new Map<string, RenderedResource[]>();
    for (const r of index.resources) {
      if (r.tags[OpsTags.SERVICE] === undefined) continue;
      const group = groups.get(serviceKey(r));
      if (group) group.push(r);
      else groups.set(serviceKey(r), [r]);
    }
    return groups;
  });
  const members = services.get(key)!;
  if (members[0] !== resource) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const memberIds = new Set(members.filter((m) => m.stack === resource.stack).map((m) => m.logicalId));
  const shown = index.ofType('AWS::CloudWatch::Dashboard').some((d) =>
    (d.tags[OpsTags.SERVICE] !== undefined && serviceKey(d) === key) ||
    (str(d.properties.DashboardName)?.toLowerCase().includes(service.toLowerCase()) ?? false) ||
    (d.stack === resource.stack && [...referencedIds(d.properties.DashboardBody)].some((id) => memberIds.has(id))) ||
    literals(d.properties.DashboardBody).some((t) => t.includes(`"${service}"`)));
  return shown ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
