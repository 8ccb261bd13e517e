import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { alarmsWatching, isBurnRateAlarm } from '../../alarm-evidence';
import { appIndex, literals, referencedIds, render } from '../../evidence';
import { identityOf } from '../../identity';
import { defineRule } from '../../rule';

const REQUEST_SERVING = [
  'AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::Lambda::Url',
  'AWS::AppSync::GraphQLApi',
];

/**
 * Request-serving resources have an SLO: at least a pair of burn-rate alarms on their metrics (described as burning
 * an error budget, or tagged `ops:slo`), or an Application Signals SLO on them.
 */
export default defineRule({
  name: 'ServiceLevelObjective',
  area: 'observability',
  bestPractices: ['OPS04-BP01'],
  level: NagMessageLevel.ERROR,
  info: 'This request-serving resource has no SLO: no pair of burn-rate alarms and no Application Signals SLO watches it.',
  explanation: 'OPS04-BP01 Identify key performance indicators: what users experience (availability, latency) needs an ' +
    'objective and alerting on how fast its error budget burns, not only static thresholds.',
  fix: 'Use OperableRestApi / OperableHttpApi, or new ServiceLevelObjective(...) with an Sli on the resource\'s metrics; ' +
    'or describe your burn-rate alarms as such (or tag them ops:slo).',
}, (node) => {
  if (!REQUEST_SERVING.includes(node.cfnResourceType)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const resource = render(node);
  if (resource.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && resource.properties.Type !== undefined &&
    resource.properties.Type !== 'application') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const index = appIndex(node);
  const identity = identityOf(index, resource)!;
  const burnRate = alarmsWatching(index, resource, identity).filter(isBurnRateAlarm);
  if (burnRate.length >= 2) {
    return NagRuleCompliance.COMPLIANT;
  }
  const signals = index.ofType('AWS::ApplicationSignals::ServiceLevelObjective').some((slo) => {
    const ids = referencedIds(slo.properties);
    return identity.ids.some((id) => ids.has(id)) || literals(slo.properties).some((t) => identity.names.includes(t));
  });
  return signals ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
