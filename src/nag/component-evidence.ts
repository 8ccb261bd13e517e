import { alarmsWatching } from './alarm-evidence';
import { AppIndex, RenderedResource, isFrameworkFunction, literals, referencedIds, str } from './evidence';
import { identityOf } from './identity';

/**
 * The components of an app (internal): what serves or holds work — functions, API stages, ECS services, tables, queues,
 * application load balancers and their target groups, RDS clusters and standalone instances — and the alarms that
 * watch each. Read by the coverage, dashboard, paging and runbook rules, so they agree on what a component is.
 */

/** The types the alarm-coverage rule requires an alarm on. */
export const COVERED_TYPES = [
  'AWS::Lambda::Function', 'AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage', 'AWS::ECS::Service',
  'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::SQS::Queue',
];

const LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';
const DB_CLUSTER = 'AWS::RDS::DBCluster';
const DB_INSTANCE = 'AWS::RDS::DBInstance';

/** Every component type: the covered types, plus load balancers, target groups and databases. */
export const COMPONENT_TYPES = [...COVERED_TYPES, LOAD_BALANCER, TARGET_GROUP, DB_CLUSTER, DB_INSTANCE];

/**
 * Whether a resource is a component. Not: functions CDK adds for custom resources, network and gateway load balancers
 * (their metrics and health differ), and RDS instances of a cluster (the cluster is the component; alarms on its
 * instances count for it).
 */
export function isComponent(resource: RenderedResource): boolean {
  if (!COMPONENT_TYPES.includes(resource.type) || isFrameworkFunction(resource)) return false;
  if (resource.type === LOAD_BALANCER) return resource.properties.Type === undefined || resource.properties.Type === 'application';
  if (resource.type === DB_INSTANCE) return resource.properties.DBClusterIdentifier === undefined;
  return true;
}

const key = (r: RenderedResource, id: string) => `${r.stack.node.path}\u0000${id}`;

/** The instances of each Aurora cluster of the app, by stack and cluster logical id (built once). */
function clusterMembers(index: AppIndex): Map<string, RenderedResource[]> {
  return index.memo('component-cluster-members', () => {
    const out = new Map<string, RenderedResource[]>();
    for (const instance of index.ofType(DB_INSTANCE)) {
      for (const id of referencedIds(instance.properties.DBClusterIdentifier)) {
        const k = key(instance, id);
        out.set(k, [...(out.get(k) ?? []), instance]);
      }
    }
    return out;
  });
}

/**
 * The metric alarms watching a component: an alarm dimension references it or names it (for an Aurora cluster, also
 * alarms on one of its instances). Computed once per component and evaluation.
 */
export function componentAlarms(index: AppIndex, resource: RenderedResource): RenderedResource[] {
  const cache = index.memo('component-alarms', () => new Map<RenderedResource, RenderedResource[]>());
  let alarms = cache.get(resource);
  if (alarms === undefined) {
    const identity = identityOf(index, resource);
    alarms = identity ? alarmsWatching(index, resource, identity) : [];
    if (resource.type === DB_CLUSTER) {
      const members = clusterMembers(index).get(key(resource, resource.logicalId)) ?? [];
      const more = members.flatMap((m) => alarmsWatching(index, m, identityOf(index, m)!));
      alarms = [...new Set([...alarms, ...more])];
    }
    if (resource.type === 'AWS::ECS::Service') {
      // What users feel of an ECS service is measured on the target groups it serves from (the SLOs of a container service).
      const more = servedTargetGroups(index, resource).flatMap((tg) => {
        const ident = identityOf(index, tg);
        return ident ? alarmsWatching(index, tg, ident) : [];
      });
      alarms = [...new Set([...alarms, ...more])];
    }
    cache.set(resource, alarms);
  }
  return alarms;
}

/** The target groups (same stack) an ECS service registers its tasks with, the alternate one of a blue/green or canary deployment included. */
function servedTargetGroups(index: AppIndex, service: RenderedResource): RenderedResource[] {
  const ids = new Set<string>();
  for (const lb of Array.isArray(service.properties.LoadBalancers) ? service.properties.LoadBalancers as unknown[] : []) {
    const l = lb as { TargetGroupArn?: unknown; AdvancedConfiguration?: { AlternateTargetGroupArn?: unknown } } | undefined;
    referencedIds(l?.TargetGroupArn, ids);
    referencedIds(l?.AdvancedConfiguration?.AlternateTargetGroupArn, ids);
  }
  return [...ids].map((id) => index.byLogicalId(service.stack, id))
    .filter((r): r is RenderedResource => r?.type === 'AWS::ElasticLoadBalancingV2::TargetGroup');
}

/**
 * The queues of the app that receive failures (built once): a queue's redrive policy, a function's dead-letter queue or
 * on-failure destination, an event source mapping's on-failure destination, an EventBridge target's or an SNS
 * subscription's dead-letter queue names them, by reference in the same stack or by an ARN ending in their literal name.
 */
export function deadLetterQueues(index: AppIndex): Set<RenderedResource> {
  return index.memo('dead-letter-queues', () => {
    const referenced = new Set<string>();
    const arns: string[] = [];
    const target = (from: RenderedResource, value: unknown) => {
      if (value === undefined) return;
      referencedIds(value).forEach((id) => referenced.add(key(from, id)));
      arns.push(literals(value).join(''));
    };
    for (const r of index.resources) {
      const p = r.properties;
      switch (r.type) {
        case 'AWS::SQS::Queue':
        case 'AWS::SNS::Subscription':
          target(r, (p.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn);
          break;
        case 'AWS::Lambda::Function':
          target(r, (p.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn);
          break;
        case 'AWS::Lambda::EventInvokeConfig':
        case 'AWS::Lambda::EventSourceMapping':
          target(r, (p.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination);
          break;
        case 'AWS::Events::Rule':
          if (Array.isArray(p.Targets)) p.Targets.forEach((t) => target(r, (t as { DeadLetterConfig?: { Arn?: unknown } })?.DeadLetterConfig?.Arn));
          break;
        default:
      }
    }
    const out = new Set<RenderedResource>();
    for (const queue of index.ofType('AWS::SQS::Queue')) {
      const name = str(queue.properties.QueueName);
      const byName = name === undefined ? undefined : new RegExp(`:${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w\\-.])`);
      if (referenced.has(key(queue, queue.logicalId)) || (byName !== undefined && arns.some((a) => byName.test(a)))) out.add(queue);
    }
    return out;
  });
}
