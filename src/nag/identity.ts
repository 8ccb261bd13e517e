import { ResourceIdentity } from './alarm-evidence';
import { AppIndex, RenderedResource, referencedIds, str } from './evidence';

/**
 * How CloudWatch metrics name a resource of each type the coverage and SLO rules check: the dimension, and the
 * references or literal names its value may hold.
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
      return { dimension: ['LoadBalancer'], ids: [resource.logicalId], names: [] };
    case 'AWS::AppSync::GraphQLApi':
      return { dimension: ['GraphQLAPIId'], ids: [resource.logicalId], names: [] };
    case 'AWS::Lambda::Url':
      return { dimension: ['FunctionName'], ids: [...referencedIds(p.TargetFunctionArn)], names: [] };
    default:
      return undefined;
  }
}
