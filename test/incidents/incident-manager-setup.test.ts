import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, escalation, idOf, incidentApp, json, ofType } from './incident-fixtures';
import { IncidentManagerSetup, IncidentResponse } from '../../src/incidents';

const MRK = (region: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;

/** A platform stack in `region` (null: environment-agnostic). */
function platformStack(region: string | null = 'us-east-1', app = new App(), id = 'Platform') {
  return new Stack(app, id, region ? { env: { account: ACCOUNT, region } } : {});
}

describe('IncidentManagerSetup defaults', () => {
  test('one replication set in the stack region, deletion protected, AWS owned key', () => {
    const stack = platformStack('eu-west-1');
    const setup = new IncidentManagerSetup(stack, 'IncidentManager');

    expect(json(stack).Resources[idOf(setup)]).toEqual({
      Type: 'AWS::SSMIncidents::ReplicationSet',
      Properties: { Regions: [{ RegionName: 'eu-west-1' }], DeletionProtected: true },
    });
    expect(setup.regions).toEqual(['eu-west-1']);
    expect(setup.deletionProtected).toBe(true);
    expect(stack.resolve(setup.replicationSetArn)).toEqual({ 'Fn::GetAtt': [idOf(setup), 'Arn'] });
    // Logical ids are API: changing the construct id or tree shape replaces the replication set.
    expect(idOf(setup)).toBe('IncidentManagerC93924CC');
  });
});

describe('IncidentManagerSetup overrides', () => {
  test('regions, deletion protection off, and a multi-Region key used through its replica in each region', () => {
    const stack = platformStack('eu-west-1');
    new IncidentManagerSetup(stack, 'IncidentManager', {
      regions: ['eu-west-1', 'eu-central-1'],
      deletionProtected: false,
      sseKmsKeyId: MRK('eu-west-1'),
    });

    Template.fromStack(stack).hasResourceProperties('AWS::SSMIncidents::ReplicationSet', {
      Regions: [
        { RegionName: 'eu-west-1', RegionConfiguration: { SseKmsKeyId: MRK('eu-west-1') } },
        { RegionName: 'eu-central-1', RegionConfiguration: { SseKmsKeyId: MRK('eu-central-1') } },
      ],
      DeletionProtected: false,
    });
  });

  test('with one region any key ARN is used as is, a token too', () => {
    const stack = platformStack('eu-west-1');
    const key = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    new IncidentManagerSetup(stack, 'IncidentManager', { sseKmsKeyId: key });
    Template.fromStack(stack).hasResourceProperties('AWS::SSMIncidents::ReplicationSet', {
      Regions: [{ RegionName: 'eu-west-1', RegionConfiguration: { SseKmsKeyId: key } }],
    });

    const other = platformStack('eu-west-1');
    const tokenKey = other.formatArn({ service: 'kms', resource: 'key', resourceName: 'abc' });
    new IncidentManagerSetup(other, 'IncidentManager', { sseKmsKeyId: tokenKey });
    Template.fromStack(other).hasResourceProperties('AWS::SSMIncidents::ReplicationSet', {
      Regions: [{ RegionName: 'eu-west-1', RegionConfiguration: { SseKmsKeyId: other.resolve(tokenKey) } }],
    });
  });

  test('an environment-agnostic stack works when regions are given', () => {
    const stack = platformStack(null);
    new IncidentManagerSetup(stack, 'IncidentManager', { regions: ['us-east-1'] });
    Template.fromStack(stack).hasResourceProperties('AWS::SSMIncidents::ReplicationSet', { Regions: [{ RegionName: 'us-east-1' }] });
  });

  test('fromReplicationSetArn: plans depend on no resource, and are checked against the regions given', () => {
    const { stack, workload } = incidentApp({ setup: false });
    const setup = IncidentManagerSetup.fromReplicationSetArn(stack, 'Existing',
      `arn:aws:ssm-incidents::${ACCOUNT}:replication-set/abc`, ['us-east-1']);
    const response = new IncidentResponse(workload, 'IncidentResponse', { engagements: [escalation(workload)] });

    expect(response.pagePlan.setup).toBe(setup);
    expect(setup.regions).toEqual(['us-east-1']);
    expect(json(stack).Resources[idOf(response.pagePlan)].DependsOn).toBeUndefined();
    expect(ofType(stack, 'AWS::SSMIncidents::ReplicationSet')).toEqual([]);
  });
});

describe('IncidentManagerSetup.find', () => {
  test('the one setup of the app; undefined without any', () => {
    const { app, setup, workload } = incidentApp();
    expect(IncidentManagerSetup.find(workload)).toBe(setup);
    expect(IncidentManagerSetup.find(platformStack('us-east-1', new App()))).toBeUndefined();
    expect(IncidentManagerSetup.isIncidentManagerSetup(setup)).toBe(true);
    expect(IncidentManagerSetup.isIncidentManagerSetup(app)).toBe(false);
  });

  test('with setups in several accounts, the one of the scope\'s account; ambiguous otherwise', () => {
    const app = new App();
    const a = new IncidentManagerSetup(platformStack('us-east-1', app, 'A'), 'IncidentManager');
    const other = new Stack(app, 'B', { env: { account: '210987654321', region: 'us-east-1' } });
    new IncidentManagerSetup(other, 'IncidentManager');
    const user = new Stack(app, 'User', { env: { account: ACCOUNT, region: 'us-east-1' } });
    expect(IncidentManagerSetup.find(user)).toBe(a);

    const agnostic = new Stack(app, 'Agnostic');
    expect(() => IncidentManagerSetup.find(agnostic)).toThrow('[Agnostic] found 2 IncidentManagerSetup constructs ' +
      '(A/IncidentManager, B/IncidentManager) and cannot tell which one this response plan uses: pass it as setup.');
  });
});

describe('IncidentManagerSetup validation', () => {
  test('more than 3 regions', () => {
    expect(() => new IncidentManagerSetup(platformStack(), 'IncidentManager', { regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'] }))
      .toThrow('[Platform/IncidentManager] regions has 4 entries (us-east-1, us-west-2, eu-west-1, eu-central-1); a replication set holds 1 to 3 regions.');
  });

  test('no regions', () => {
    expect(() => new IncidentManagerSetup(platformStack(), 'IncidentManager', { regions: [] }))
      .toThrow('[Platform/IncidentManager] regions has 0 entries (none); a replication set holds 1 to 3 regions.');
  });

  test('a region name that is not one', () => {
    expect(() => new IncidentManagerSetup(platformStack(), 'IncidentManager', { regions: ['us-east-1', 'Frankfurt'] }))
      .toThrow("[Platform/IncidentManager] region 'Frankfurt' is not an AWS region name, e.g. 'eu-west-1'.");
  });

  test('a region listed twice', () => {
    expect(() => new IncidentManagerSetup(platformStack(), 'IncidentManager', { regions: ['us-east-1', 'us-east-1'] }))
      .toThrow("[Platform/IncidentManager] region 'us-east-1' is listed twice in regions.");
  });

  test('regions without the stack region', () => {
    expect(() => new IncidentManagerSetup(platformStack('us-east-1'), 'IncidentManager', { regions: ['eu-west-1'] }))
      .toThrow("[Platform/IncidentManager] regions (eu-west-1) does not include the stack's region 'us-east-1', where the replication set " +
        'is created: add it, or define the setup in a stack in one of these regions.');
  });

  test('an environment-agnostic stack without regions', () => {
    expect(() => new IncidentManagerSetup(platformStack(null), 'IncidentManager'))
      .toThrow("[Platform/IncidentManager] the stack's region is not known at synth (an environment-agnostic stack), and regions is not " +
        "given: set env: { region: 'eu-west-1' } on the stack, or pass regions: ['eu-west-1'].");
  });

  test('a second setup in the same account', () => {
    const app = new App();
    new IncidentManagerSetup(platformStack('us-east-1', app), 'IncidentManager');
    expect(() => new IncidentManagerSetup(platformStack('eu-west-1', app, 'Other'), 'IncidentManager'))
      .toThrow(`[Other/IncidentManager] account ${ACCOUNT} already has a replication set (Platform/IncidentManager); an account has at most ` +
        'one. Define one IncidentManagerSetup in the platform stack and pass it to every response plan.');
  });

  test('a key that is not a KMS key ARN', () => {
    expect(() => new IncidentManagerSetup(platformStack(), 'IncidentManager', { sseKmsKeyId: 'alias/incidents' }))
      .toThrow("[Platform/IncidentManager] sseKmsKeyId 'alias/incidents' is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>); " +
        'aliases are not accepted.');
  });

  test('a single-Region key for several regions', () => {
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(() => new IncidentManagerSetup(platformStack(), 'IncidentManager', { regions: ['us-east-1', 'us-west-2'], sseKmsKeyId: key }))
      .toThrow(`[Platform/IncidentManager] sseKmsKeyId '${key}' is a single-Region key, but the replication set spans 2 regions ` +
        "(us-east-1, us-west-2): use a multi-Region key (key id 'mrk-...') replicated to each of them.");
  });

  test('a token key for several regions', () => {
    const stack = platformStack();
    expect(() => new IncidentManagerSetup(stack, 'IncidentManager', {
      regions: ['us-east-1', 'us-west-2'],
      sseKmsKeyId: stack.formatArn({ service: 'kms', resource: 'key', resourceName: 'abc' }),
    })).toThrow("[Platform/IncidentManager] sseKmsKeyId is a token, but the replication set spans 2 regions: give the multi-Region key's " +
      'ARN as a literal (arn:aws:kms:<region>:<account>:key/mrk-...) so each region can use its replica.');
  });

  test('imported setups check their regions too', () => {
    expect(() => IncidentManagerSetup.fromReplicationSetArn(platformStack(), 'Existing', `arn:aws:ssm-incidents::${ACCOUNT}:replication-set/x`, ['nowhere']))
      .toThrow("[Platform/Existing] region 'nowhere' is not an AWS region name, e.g. 'eu-west-1'.");
  });
});

test('the replication set carries no workload tags unless owned', () => {
  const { platform } = incidentApp();
  Template.fromStack(platform).hasResourceProperties('AWS::SSMIncidents::ReplicationSet', { Tags: Match.absent() });
});
