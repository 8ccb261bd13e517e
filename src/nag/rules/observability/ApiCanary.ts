import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { OpsTags } from '../../../core/ops-tags';
import { AppIndex, appIndex, referencedIds, render } from '../../evidence';
import { defineRule } from '../../rule';

/** The logical ids of the API Gateway resources (stages, deployments, ...) that reference each API, by stack (built once). */
function apiParts(index: AppIndex): Map<string, string[]> {
  return index.memo('api-canary-parts', () => {
    const out = new Map<string, string[]>();
    for (const r of index.resources) {
      if (!r.type.startsWith('AWS::ApiGateway')) continue;
      for (const id of referencedIds(r.properties)) {
        const key = `${r.stack.node.path}\u0000${id}`;
        out.set(key, [...(out.get(key) ?? []), r.logicalId]);
      }
    }
    return out;
  });
}

/** Public APIs are probed from outside by a CloudWatch Synthetics canary. */
export default defineRule({
  name: 'ApiCanary',
  area: 'observability',
  bestPractices: ['OPS04-BP03'],
  level: NagMessageLevel.WARN,
  info: 'No synthetic canary exercises this public API.',
  explanation: 'OPS04-BP03 Implement user experience telemetry: a canary sees what a user sees (DNS, TLS, routing, auth) and ' +
    'detects an outage when real traffic is too low to move an error rate.',
  fix: 'OperableRestApi / OperableHttpApi create one when given a healthCheckPath; or create a synthetics.Canary whose script or ' +
    'environment references the API URL, or tag it with the API\'s ops:service.',
}, (node) => {
  const api = render(node);
  if (api.type === 'AWS::ApiGateway::RestApi') {
    const types = (api.properties.EndpointConfiguration as { Types?: unknown } | undefined)?.Types;
    if (Array.isArray(types) && types.length === 1 && types[0] === 'PRIVATE') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
  } else if (api.type !== 'AWS::ApiGatewayV2::Api' || api.properties.ProtocolType !== 'HTTP') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const index = appIndex(node);
  // The API and what hangs off it (stages, deployments): a canary referencing any of them targets the API.
  const ids = new Set([api.logicalId, ...(apiParts(index).get(`${api.stack.node.path}\u0000${api.logicalId}`) ?? [])]);
  const service = api.tags[OpsTags.SERVICE];
  const probed = index.ofType('AWS::Synthetics::Canary').some((canary) =>
    (canary.stack === api.stack && [...referencedIds(canary.properties)].some((id) => ids.has(id))) ||
    (service !== undefined && canary.tags[OpsTags.SERVICE] === service && canary.tags[OpsTags.WORKLOAD] === api.tags[OpsTags.WORKLOAD]));
  return probed ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
