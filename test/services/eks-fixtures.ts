import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { synthesized, Synthesized } from './function-fixtures';
import { WorkloadProps } from '../../src';
import { OperableEksCluster, OperableEksClusterProps } from '../../src/services/operable-eks-cluster';
import { OperableKubernetesService, OperableKubernetesServiceProps } from '../../src/services/operable-kubernetes-service';
import { freight, testStack } from '../support/fixtures';

/** Shared helpers of the EKS tests (not a test file itself). */

export const CLUSTER_NAME = 'shop';
export const KUBECTL_SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:shop-kubectl';
export const SERVICE_PATH = '/Test/Freight/Quotes';

/** How the tests get their cluster. */
export enum ClusterKind {
  /** `eks.Cluster.fromClusterAttributes({ clusterName: 'shop' })`, no kubectl provider. */
  IMPORTED = 'IMPORTED',
  /** The same, with an imported kubectl provider. */
  IMPORTED_WITH_KUBECTL = 'IMPORTED_WITH_KUBECTL',
  /** `new eks.Cluster` named 'shop' (Auto Mode), without a kubectl provider. */
  DEFINED = 'DEFINED',
  /** `new eks.Cluster` named 'shop' (Auto Mode) with the kubectl v35 layer. */
  DEFINED_WITH_KUBECTL = 'DEFINED_WITH_KUBECTL',
}

/** A cluster for the tests, in `stack`. */
export function makeCluster(stack: Stack, kind: ClusterKind, props: Partial<eks.ClusterProps> = {}): eks.ICluster {
  if (kind === ClusterKind.IMPORTED || kind === ClusterKind.IMPORTED_WITH_KUBECTL) {
    return eks.Cluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: CLUSTER_NAME,
      ...(kind === ClusterKind.IMPORTED_WITH_KUBECTL
        ? { kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Kubectl', { serviceToken: KUBECTL_SERVICE_TOKEN }) }
        : {}),
    });
  }
  return new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_35,
    clusterName: CLUSTER_NAME,
    ...(kind === ClusterKind.DEFINED_WITH_KUBECTL ? { kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(stack, 'KubectlLayer') } } : {}),
    ...props,
  });
}

/** What a Kubernetes-service test needs about one synthesized stack. */
export interface KubernetesSetup extends Synthesized {
  readonly cluster: eks.ICluster;
  readonly service: OperableKubernetesService;
  readonly telemetry?: OperableEksCluster;
  /** The warnings reported on a construct path. */
  warningsAt(path: string): string[];
}

/** Options of `setupService`. */
export interface SetupOptions {
  readonly cluster?: ClusterKind;
  readonly clusterProps?: Partial<eks.ClusterProps>;
  /** Create an OperableEksCluster 'Telemetry' and pass it as clusterTelemetry (needs a defined cluster). */
  readonly telemetry?: boolean;
  readonly workloadProps?: Partial<WorkloadProps>;
  /** Runs after the service is built, before the stack is synthesized (to add SLOs later, as users can). */
  readonly beforeSynth?: (service: OperableKubernetesService) => void;
}

/**
 * A stack with the freight workload and one OperableKubernetesService 'Quotes' (service 'quotes', namespace 'shop' unless
 * given), synthesized once. `props` may be a function of the stack and cluster, to build signals from them.
 */
export function setupService(
  props: Partial<OperableKubernetesServiceProps> | ((stack: Stack, cluster: eks.ICluster) => Partial<OperableKubernetesServiceProps>),
  options: SetupOptions = {},
): KubernetesSetup {
  const { stack } = testStack();
  const { workload, pages, tickets } = freight(stack, options.workloadProps);
  const cluster = makeCluster(stack, options.cluster ?? ClusterKind.IMPORTED, options.clusterProps);
  const telemetry = options.telemetry ? new OperableEksCluster(workload, 'Telemetry', { cluster: cluster as eks.Cluster }) : undefined;
  const given = typeof props === 'function' ? props(stack, cluster) : props;
  const service = new OperableKubernetesService(workload, 'Quotes', {
    cluster,
    kubernetesNamespace: 'shop',
    ...(telemetry ? { clusterTelemetry: telemetry } : {}),
    ...given,
  } as OperableKubernetesServiceProps);
  options.beforeSynth?.(service);
  return {
    ...synthesized(stack, workload, pages, tickets),
    cluster,
    service,
    telemetry,
    warningsAt: (path: string) => warningsAt(stack, path),
  };
}

/** The warnings reported on a construct path, as text. */
export function warningsAt(stack: Stack, path: string): string[] {
  return Annotations.fromStack(stack).findWarning(path, Match.anyValue()).map((w) => String(w.entry.data));
}

/** A stack with the freight workload and an OperableEksCluster 'Telemetry' on a defined cluster 'shop', synthesized once. */
export function setupCluster(props: Partial<OperableEksClusterProps> = {}, clusterProps: Partial<eks.ClusterProps> = {},
  workloadProps: Partial<WorkloadProps> = {}): Synthesized & { cluster: eks.Cluster; telemetry: OperableEksCluster; warnings(): string[] } {
  const { stack } = testStack();
  const { workload, pages, tickets } = freight(stack, workloadProps);
  const cluster = makeCluster(stack, ClusterKind.DEFINED, clusterProps) as eks.Cluster;
  const telemetry = new OperableEksCluster(workload, 'Telemetry', { cluster, ...props });
  return { ...synthesized(stack, workload, pages, tickets), cluster, telemetry, warnings: () => warningsAt(stack, '/Test/Freight/Telemetry') };
}

/**
 * The JSON a template value renders to once deployed, with each intrinsic written as a placeholder: `{ Ref: X }` →
 * `${X}`, `{ 'Fn::GetAtt': [X, Y] }` → `${X.Y}`, anything else as its JSON. Used to read a manifest a custom resource
 * receives as an `Fn::Join`.
 */
export function renderJoin(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v && typeof v === 'object' && 'Fn::Join' in v) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(renderJoin).join(sep);
  }
  if (v && typeof v === 'object' && 'Ref' in v) return `\${${String(v.Ref)}}`;
  if (v && typeof v === 'object' && 'Fn::GetAtt' in v) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  return JSON.stringify(value);
}
