/**
 * The cfn-lint findings that test/cfn-lint.test.ts ignores, and only those, in two kinds:
 * - schema age: cfn-lint validates templates against its own copy of the CloudFormation resource schemas, which is older
 *   than the one aws-cdk-lib 2.276 was generated from; these are properties or resource types that CloudFormation
 *   supports today and cfn-lint does not know yet;
 * - upstream output: warnings on resources aws-cdk-lib or @aws-cdk/integ-tests-alpha write exactly so, whatever our code
 *   does (a plain `new lambda.Function` in an empty stack gets the same one); each names the upstream construct.
 *
 * Each entry matches one rule on one resource type at one property path, never a whole rule or a whole file. Any other
 * finding is a defect to fix, not to list here. An entry that no longer matches any finding fails the test (stale), so
 * delete it when cfn-lint's schemas catch up.
 */
export interface CfnLintAllowance {
  /** cfn-lint rule id, e.g. `E3002`. */
  readonly rule: string;
  /** The CloudFormation type of the resource the finding is on. */
  readonly resourceType: string;
  /** The finding's path inside that resource, e.g. `Properties/Tags` or `Type`; a list index is written `*`. */
  readonly path: string;
  /** Why cfn-lint is wrong here. */
  readonly why: string;
  /** For upstream output: the logical ids of the upstream constructs, so our own resources of that type stay checked. */
  readonly logicalIdPattern?: RegExp;
}

export const CFN_LINT_ALLOWLIST: readonly CfnLintAllowance[] = [
  {
    rule: 'E3002',
    resourceType: 'AWS::CloudWatch::Dashboard',
    path: 'Properties/Tags',
    // CloudFormation added Tags to AWS::CloudWatch::Dashboard after cfn-lint 1.51's schema snapshot; aws-cdk-lib 2.276's
    // CfnDashboard has `tags`, and our dashboards carry the ops:* ownership tags on it.
    why: 'Tags on AWS::CloudWatch::Dashboard is newer than cfn-lint\'s schema',
  },
  {
    rule: 'E3002',
    resourceType: 'AWS::ElasticLoadBalancingV2::Listener',
    path: 'Properties/Tags',
    // CloudFormation added Tags to listeners after cfn-lint 1.51's schema snapshot (DESIGN.md lists it); aws-cdk-lib 2.276's
    // CfnListener has `tags`, and the load balancer cdk-operable creates for a Fargate service carries the ops:* tags.
    why: 'Tags on AWS::ElasticLoadBalancingV2::Listener is newer than cfn-lint\'s schema',
  },
  {
    rule: 'E3002',
    resourceType: 'AWS::ElasticLoadBalancingV2::ListenerRule',
    path: 'Properties/Tags',
    // Added with listener tags; aws-cdk-lib 2.276's CfnListenerRule has `tags` (the Fargate service's production rule).
    why: 'Tags on AWS::ElasticLoadBalancingV2::ListenerRule is newer than cfn-lint\'s schema',
  },
  {
    rule: 'W3005',
    resourceType: 'AWS::ECS::Service',
    path: 'DependsOn/*',
    // Upstream output: aws-ecs makes a service attached to a target group depend on the listener (rule) that attaches the
    // group to its load balancer, which a canary deployment's AdvancedConfiguration also references.
    why: 'aws-cdk-lib aws-ecs BaseService: DependsOn on the listener rule it also references (upstream output)',
    logicalIdPattern: /Service[0-9A-F]{8}$/,
  },
  {
    rule: 'E3006',
    resourceType: 'AWS::WellArchitected::Lens',
    path: 'Type',
    // AWS::WellArchitected::Lens (the readiness-review custom lens) is a resource type aws-cdk-lib 2.276 ships
    // (aws_wellarchitected.CfnLens) and cfn-lint 1.51 does not know in any region yet.
    why: 'AWS::WellArchitected::Lens is newer than cfn-lint\'s schema',
  },
  {
    rule: 'W3005',
    resourceType: 'AWS::Lambda::Function',
    path: 'DependsOn/*',
    // Upstream output: aws-cdk-lib's lambda.Function always adds DependsOn on its service role (and its default policy),
    // and the role is also referenced with GetAtt; cfn-lint warns the DependsOn is redundant. No effect on deployment.
    why: 'aws-cdk-lib lambda.Function: redundant DependsOn on its own service role (upstream output)',
  },
  {
    rule: 'W3005',
    resourceType: 'AWS::StepFunctions::StateMachine',
    path: 'DependsOn/*',
    // Upstream output, integ DeployAssert stacks only: integ-tests-alpha's waitForAssertions state machine depends on the
    // role it also references.
    why: '@aws-cdk/integ-tests-alpha waitForAssertions state machine: redundant DependsOn on its role (upstream output)',
    logicalIdPattern: /^(AwsApiCall|LambdaInvoke)[A-Za-z0-9]*WaitFor[A-Za-z0-9]*$/,
  },
  {
    rule: 'W3037',
    resourceType: 'AWS::IAM::Role',
    path: 'Properties/Policies/*/PolicyDocument/Statement/*/Action',
    // Upstream output, integ DeployAssert stacks only: integ-tests-alpha's invokeFunction assertion grants the
    // non-existent `lambda:Invoke` next to `lambda:InvokeFunction` on its provider's role.
    why: '@aws-cdk/integ-tests-alpha invokeFunction assertion provider grants lambda:Invoke (upstream output)',
    logicalIdPattern: /^SingletonFunction[0-9a-f]{32}Role[0-9A-F]{8}$/,
  },
  // Tags on AWS::ElasticLoadBalancingV2::Listener (E3002, Properties/Tags) is newer than cfn-lint's schema too, but no
  // template we lint has a tagged listener today: add that entry back when one does (the stale check forbids it now).
];
