import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { OpsTags } from '../../../core/ops-tags';
import { AppIndex, RenderedResource, appIndex, referencedIds, render } from '../../evidence';
import { defineRule } from '../../rule';

const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';

/** The Synthetics canaries of the app with the logical ids they reference, by stack (built once). */
function canaries(index: AppIndex): Array<{ canary: RenderedResource; ids: Set<string> }> {
  return index.memo('load-balancer-canaries', () => index.ofType('AWS::Synthetics::Canary')
    .map((canary) => ({ canary, ids: referencedIds(canary.properties) })));
}

/**
 * Internet-facing application load balancers are probed from outside by a CloudWatch Synthetics canary: one whose
 * script, environment or settings reference the load balancer (its DNS name) or one of its listeners, or that is tagged
 * with the load balancer's `ops:workload` and `ops:service`. Internal load balancers are not concerned.
 */
export default defineRule({
  name: 'LoadBalancerCanary',
  area: 'observability',
  bestPractices: ['OPS04-BP03'],
  level: NagMessageLevel.WARN,
  info: 'No synthetic canary exercises this internet-facing application load balancer.',
  explanation: 'OPS04-BP03 Implement user experience telemetry: a canary sees what a user sees (DNS, TLS, listener rules, the ' +
    'service behind) and detects an outage when real traffic is too low to move an error rate.',
  fix: 'Create a synthetics.Canary whose script or environment uses the load balancer\'s DNS name (or your domain, tagging the ' +
    'canary with the service\'s ops:service), checking a health path through the listener.',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const lb = render(node);
  if ((lb.properties.Type !== undefined && lb.properties.Type !== 'application') || lb.properties.Scheme === 'internal') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const index = appIndex(node);
  const ids = new Set([lb.logicalId, ...index.ofType(LISTENER)
    .filter((l) => l.stack === lb.stack && referencedIds(l.properties.LoadBalancerArn).has(lb.logicalId)).map((l) => l.logicalId)]);
  const service = lb.tags[OpsTags.SERVICE];
  const probed = canaries(index).some(({ canary, ids: referenced }) =>
    (canary.stack === lb.stack && [...referenced].some((id) => ids.has(id))) ||
    (service !== undefined && canary.tags[OpsTags.SERVICE] === service && canary.tags[OpsTags.WORKLOAD] === lb.tags[OpsTags.WORKLOAD]));
  return probed ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
