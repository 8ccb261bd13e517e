import { Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { describeValue } from '../core/checks';
import { compactString } from '../core/compact';
import { fail } from '../core/errors';
import { CloudWatchLimits } from '../core/limits';

/** Dashboard names: letters, digits, '-' and '_', up to 255 characters. */
export function validateDashboardName(scope: IConstruct, name: string): string {
  if (typeof name !== 'string') fail(scope, `dashboardName must be a string, got ${describeValue(name)}.`);
  if (Token.isUnresolved(name)) {
    // Checked at synth, once the token resolves to a literal.
    scope.node.addValidation({
      validate: () => {
        const resolved = Stack.of(scope).resolve(name);
        return typeof resolved === 'string' && !DASHBOARD_NAME.test(resolved) ? [dashboardNameProblem(resolved)] : [];
      },
    });
    return name;
  }
  if (!DASHBOARD_NAME.test(name)) fail(scope, dashboardNameProblem(name));
  return name;
}

const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;

function dashboardNameProblem(name: string): string {
  return `dashboardName '${name}' is invalid: CloudWatch allows 1-255 letters, digits, '-' and '_'. Pass a dashboardName that fits.`;
}

/** The console URL of a dashboard. Dashboards are global (not regional), so the URL needs no region. */
export function dashboardUrl(name: string): string {
  return `https://console.aws.amazon.com/cloudwatch/home#dashboards:name=${name}`;
}

/**
 * Render rows of widgets as a dashboard body, after checking CloudWatch's limits (500 widgets, 2,500 metrics).
 * Called from a `Lazy` at synth, so it sees every widget added after construction.
 */
export function renderDashboardBody(scope: IConstruct, rows: cloudwatch.IWidget[][], extra: Record<string, unknown> = {}): string {
  const widgets = rows.flat();
  if (widgets.length > CloudWatchLimits.MAX_DASHBOARD_WIDGETS) {
    fail(scope, `Dashboard has ${widgets.length} widgets; CloudWatch allows ${CloudWatchLimits.MAX_DASHBOARD_WIDGETS}. Split it into several dashboards.`);
  }
  const column = new cloudwatch.Column(...rows.filter((r) => r.length > 0).map((r) => new cloudwatch.Row(...r)));
  column.position(0, 0);
  const json = column.toJson();
  const metrics = countMetrics(json);
  if (metrics > CloudWatchLimits.MAX_DASHBOARD_METRICS) {
    fail(scope, `Dashboard has ${metrics} metrics; CloudWatch allows ${CloudWatchLimits.MAX_DASHBOARD_METRICS}. Split it into several dashboards.`);
  }
  return Stack.of(scope).toJsonString({ ...extra, widgets: json });
}

/**
 * A dashboard body as the template should hold it: one `Fn::Sub` string (see `compactString`) with repeated metric
 * fields abbreviated.
 */
export function compactDashboardBody(scope: IConstruct, body: string): string {
  const stack = Stack.of(scope);
  const home = {
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
  };
  return compactString(scope, body, (text) => {
    const parsed = JSON.parse(text) as { widgets?: unknown[] };
    return JSON.stringify({ ...parsed, widgets: (parsed.widgets ?? []).map((w) => abbreviateMetrics(withoutDefaults(w, home))) });
  });
}

/**
 * Leave out what CloudWatch assumes anyway: a metric's account and region when they are the stack's own (the
 * dashboard's), an annotation's left axis, an empty y-axis block.
 */
function withoutDefaults(widget: unknown, home: { account?: string; region?: string }): unknown {
  const w = widget as { properties?: Record<string, unknown> };
  if (!w.properties) return widget;
  type Properties = { yAxis?: object; annotations?: { horizontal?: object[] }; metrics?: unknown[][]; region?: unknown };
  const { yAxis, annotations, metrics, ...rest } = w.properties as Properties;
  const homeRegion = (r: unknown) => r === home.region || r === rest.region;
  const trimmed = metrics?.map((entry) => entry.map((f) => {
    if (typeof f !== 'object' || f === null) return f;
    const { accountId, region, ...options } = f as { accountId?: unknown; region?: unknown };
    return {
      ...(accountId !== undefined && accountId !== home.account ? { accountId } : {}),
      ...(region !== undefined && !homeRegion(region) ? { region } : {}),
      ...options,
    };
  }));
  const horizontal = annotations?.horizontal?.map((a) => {
    const { yAxis: side, ...annotation } = a as { yAxis?: string };
    return side === 'left' ? annotation : a;
  });
  return {
    ...w,
    properties: {
      ...rest,
      ...(trimmed ? { metrics: trimmed } : {}),
      ...(annotations ? { annotations: { ...annotations, ...(horizontal ? { horizontal } : {}) } } : {}),
      ...(yAxis && Object.keys(yAxis).length > 0 ? { yAxis } : {}),
    },
  };
}

/**
 * Write repeated metric fields as ".", CloudWatch's shorthand for "same as the previous metric" (the console's own
 * source format): the hidden bad/total metrics of SLO graphs repeat namespace and dimensions, and writing them once
 * keeps a stack of 20 services under CloudFormation's 1 MB.
 */
function abbreviateMetrics(widget: unknown): unknown {
  const w = widget as { properties?: { metrics?: unknown[][] } };
  // Entries are [namespace, name, dimension name, value, ..., options?], or [options] for an expression.
  const metrics = w.properties?.metrics;
  if (!metrics) return widget;
  // Hidden inputs of expressions go last, together, so each can abbreviate against the one above it; the order of
  // visible lines (the legend) is unchanged, and ids may be referenced before they are defined.
  const hidden = (e: unknown[]) => e.some((f) => typeof f === 'object' && f !== null && (f as { visible?: boolean }).visible === false);
  const ordered = [...metrics.filter((e) => !hidden(e)), ...metrics.filter(hidden)];
  let previous: unknown[] | undefined;
  const abbreviated = ordered.map((entry) => {
    const fields = entry.filter((f) => typeof f === 'string');
    const options = entry.filter((f) => typeof f !== 'string');
    if (fields.length === 0) {
      previous = undefined;
      return entry;
    }
    const short = previous && previous.length === fields.length ? fields.map((f, i) => (f === previous![i] ? '.' : f)) : fields;
    previous = fields;
    return [...short, ...options];
  });
  const { view, ...properties } = w.properties as Record<string, unknown>;
  // 'timeSeries' is the default view; leaving it out is the same dashboard in fewer bytes.
  return { ...w, properties: { ...(view !== 'timeSeries' ? { view } : {}), ...properties, metrics: abbreviated } };
}

/** Metric lines (metrics and expressions) across widgets. */
export function countMetrics(widgetJson: unknown[]): number {
  let n = 0;
  for (const w of widgetJson as Array<{ properties?: { metrics?: unknown[] } }>) n += w.properties?.metrics?.length ?? 0;
  return n;
}
