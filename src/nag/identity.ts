import { ResourceIdentity } from './alarm-evidence';
import { AppIndex, RenderedResource, referencedIds, str } from './evidence';

/** The logical ids of the listeners of a load balancer, same stack (built once for the app). */
function listenersOf(index: AppIndex, lb: RenderedResource): string[] {
  const byBalancer = index.memo('identity-listeners', () => {
    const out = new Map<string, string[]>();
    for (const listener of index.ofType('AWS::ElasticLoadBalancingV2::Listener')) {
      for (const id of referencedIds(listener.properties.LoadBalancerArn)) {
        const key = `${listener.stack.node.path}\u0000${id}`;
        out.set(key, [...(out.get(key) ?? []), listener.logicalId]);
      }
    }
    return out;
  });
  return byBalancer.get(`${lb.stack.node.path}\u0000${lb.logicalId}`) ?? [];
}

/**
 * How CloudWatch metrics name a resource of each type the coverage, SLO and component rules check: the dimension, and
 * the references or literal names its value may hold.
 */
export function identityOf(index: AppIndex, resource: RenderedResource): ResourceIdentity | undefined {
  const p = resource.properties;
  const names = (...values: unknown[]) => values.map(str).filter((v): v is string => v !== undefined);
  switch (resource.type) {
    case 'AWS::Lambda::Function':
      return { dimension: ['FunctionName'], ids: [resource.logicalId], names: names(p.FunctionName) };
    case 'AWS::ApiGateway::Stage': {
      const apiId = [...referencedIds(p.RestApiId)][0];
      const api = apiId ? index.byLogicalId(resource.stack, apiId) : undefined;
      return { dimension: ['ApiName', 'ApiId'], ids: [resource.logicalId, ...(apiId ? [apiId] : [])], names: names(api?.properties.Name, p.RestApiId) };
    }
    case 'AWS::ApiGatewayV2::Stage':
      return { dimension: ['ApiId'], ids: [...referencedIds(p.ApiId)], names: names(p.ApiId) };
    case 'AWS::ECS::Service':
      return { dimension: ['ServiceName'], ids: [resource.logicalId], names: names(p.ServiceName) };
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return { dimension: ['TableName'], ids: [resource.logicalId], names: names(p.TableName) };
    case 'AWS::SQS::Queue':
      return { dimension: ['QueueName'], ids: [resource.logicalId], names: names(p.QueueName) };
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      // Target-group metrics name their load balancer through a listener's ARN (`Fn::Split` of a listener `Ref`).
      return { dimension: ['LoadBalancer'], ids: [resource.logicalId, ...listenersOf(index, resource)], names: [] };
    case 'AWS::ElasticLoadBalancingV2::TargetGroup':
      return { dimension: ['TargetGroup'], ids: [resource.logicalId], names: [] };
    case 'AWS::RDS::DBCluster':
      return { dimension: ['DBClusterIdentifier'], ids: [resource.logicalId], names: names(p.DBClusterIdentifier) };
    case 'AWS::RDS::DBInstance':
      return { dimension: ['DBInstanceIdentifier'], ids: [resource.logicalId], names: names(p.DBInstanceIdentifier) };
    case 'AWS::AppSync::GraphQLApi':
      return { dimension: ['GraphQLAPIId'], ids: [resource.logicalId], names: [] };
    case 'AWS::Lambda::Url':
      return { dimension: ['FunctionName'], ids: [...referencedIds(p.TargetFunctionArn)], names: [] };
    default:
      return undefined;
  }
}
