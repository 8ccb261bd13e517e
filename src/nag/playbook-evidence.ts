import { alarmActions, statedSeverity } from './alarm-evidence';
import { automationContent, isAutomationDocument } from './automation-content';
import { AppIndex, RenderedResource, literals, str } from './evidence';
import { runbookChangesState } from './runbook-evidence';
import { AlarmDescription } from '../core/alarm-description';
import { OpsTags } from '../core/ops-tags';

/**
 * Which playbook an alarm names (internal): read by the playbook rule and available to the readiness review.
 *
 * A playbook is recognized in the template in two ways:
 * - the alarm description names one: the footer's `Playbook:` field, or a `Playbook: <name>` in free text (a URL to a
 *   text playbook in a repository counts: the framework starts playbooks as text);
 * - the alarm's runbook (its `ops:runbook` tag or the footer's `Runbook:` field) is an Automation document of the app
 *   that investigates: it has steps and none of them can change anything (the same judgement as the approval rule's:
 *   API calls by their IAM access level, scripts by the role they run as). A document that only reads cannot remediate,
 *   so running it can only find out what is wrong — which is what cdk-operable's `Playbook` renders.
 */

const isNone = (value: string) => value.trim().replace(/[.,;]+$/, '').toLowerCase() === AlarmDescription.NONE;

/** The Automation documents of the app by their literal `Name` (built once). */
export function automationDocumentsByName(index: AppIndex): Map<string, RenderedResource> {
  return index.memo('automation-documents-by-name', () => {
    const out = new Map<string, RenderedResource>();
    for (const doc of index.ofType('AWS::SSM::Document')) {
      const name = str(doc.properties.Name);
      if (name !== undefined && isAutomationDocument(doc)) out.set(name, doc);
    }
    return out;
  });
}

/** Whether an Automation document of the app investigates: it has steps, and none can change state. */
export function isInvestigation(index: AppIndex, doc: RenderedResource): boolean {
  return index.memo(`investigation:${doc.stack.node.path}\u0000${doc.logicalId}`, () =>
    isAutomationDocument(doc) && automationContent(doc).steps.length > 0 && !runbookChangesState(index, doc));
}

/** The name of an SSM document in a reference: `name`, `document/name` in an ARN, without a `:version`. */
function documentName(reference: string): string {
  return (/:document\/([^:]+)/.exec(reference)?.[1] ?? reference).trim();
}

/** The playbook an alarm names, or undefined (see the module comment for what counts). */
export function namedPlaybook(index: AppIndex, alarm: RenderedResource): string | undefined {
  const description = literals(alarm.properties.AlarmDescription).join('');
  const parsed = AlarmDescription.parse(description);
  if (parsed?.playbook !== undefined && !isNone(parsed.playbook)) return parsed.playbook;
  if (!parsed) {
    const free = [...description.matchAll(/\bplaybook\s*[:=]\s*(\S+)/gi)].map((m) => m[1]).find((v) => !isNone(v));
    if (free !== undefined) return free;
  }
  const documents = automationDocumentsByName(index);
  return [alarm.tags[OpsTags.RUNBOOK], parsed?.runbook].filter((r): r is string => r !== undefined && !isNone(r))
    .find((r) => {
      const doc = documents.get(documentName(r));
      return doc !== undefined && isInvestigation(index, doc);
    });
}

/**
 * Whether an alarm pages: it has alarm actions and does not state a severity other than PAGE (an alarm that notifies
 * without saying how urgently is taken as a page).
 */
export function isPagingAlarm(alarm: RenderedResource): boolean {
  if (alarmActions(alarm).length === 0) return false;
  const severity = statedSeverity(alarm);
  return severity === undefined || severity === 'PAGE';
}
