import { RenderedResource, literals } from './evidence';

/** One step of an Automation document as written in its content. */
export interface AutomationStep {
  readonly name?: string;
  readonly action?: string;
  readonly inputs?: Record<string, unknown>;
}

/** What the rules and the readiness review read from an Automation document's content. */
export interface AutomationContent {
  readonly assumeRole?: unknown;
  readonly description?: string;
  readonly steps: AutomationStep[];
  /** False when the content could not be read as JSON (YAML, or a token CloudFormation resolves at deploy time). */
  readonly parsed: boolean;
}

export const AUTOMATION_TYPES = ['Automation', 'Automation.ChangeTemplate'];

/** Whether the resource is an SSM Automation document. */
export function isAutomationDocument(resource: RenderedResource): boolean {
  return resource.type === 'AWS::SSM::Document' && AUTOMATION_TYPES.includes(String(resource.properties.DocumentType));
}

/**
 * The content of an Automation document: an object, a JSON string, or an `Fn::Sub` of a JSON string (placeholders
 * stay as text). YAML content is read with patterns for `assumeRole` and `action` only.
 */
export function automationContent(resource: RenderedResource): AutomationContent {
  let content: unknown = resource.properties.Content;
  const sub = (content as { 'Fn::Sub'?: unknown } | undefined)?.['Fn::Sub'];
  if (sub !== undefined) {
    content = Array.isArray(sub) ? sub[0] : sub;
  }
  if (typeof content === 'string') {
    try {
      content = JSON.parse(content);
    } catch {
      const text = literals(resource.properties.Content).join('');
      const role = /^\s*assumeRole\s*:\s*(\S.*)$/m.exec(text)?.[1];
      const steps = [...text.matchAll(/^\s*-?\s*action\s*:\s*['"]?([\w:]+)/gm)].map((m) => ({ action: m[1] }));
      return { assumeRole: role, steps, parsed: false };
    }
  }
  if (!content || typeof content !== 'object') {
    return { steps: [], parsed: false };
  }
  const c = content as { assumeRole?: unknown; description?: unknown; mainSteps?: unknown };
  return {
    assumeRole: c.assumeRole,
    description: typeof c.description === 'string' ? c.description : undefined,
    steps: Array.isArray(c.mainSteps) ? c.mainSteps as AutomationStep[] : [],
    parsed: true,
  };
}
