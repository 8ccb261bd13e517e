/**
 * The health-check canary script (internal), generated here and shipped inline — nothing is downloaded. It runs on
 * the CloudWatch Synthetics Node.js runtime, reads the URL and accepted status range from the environment
 * (`CANARY_URL`, `CANARY_EXPECTED_STATUS`, e.g. `200-299`), and fails the run when the response is outside the
 * range or the request errors or times out.
 */
export const CANARY_SCRIPT = `const synthetics = require('Synthetics');
const log = require('SyntheticsLogger');

exports.handler = async function () {
  const target = new URL(process.env.CANARY_URL);
  const [low, high] = (process.env.CANARY_EXPECTED_STATUS || '200-299').split('-').map(Number);
  const requestOptions = {
    hostname: target.hostname,
    port: target.port || (target.protocol === 'http:' ? 80 : 443),
    protocol: target.protocol,
    path: target.pathname + target.search,
    method: 'GET',
    timeout: Number(process.env.CANARY_TIMEOUT_MS || 10000),
    headers: { 'User-Agent': synthetics.getCanaryUserAgentString() },
  };
  const stepConfig = {
    includeRequestHeaders: false,
    includeResponseHeaders: true,
    includeRequestBody: false,
    includeResponseBody: false,
    continueOnHttpStepFailure: false,
  };
  const validate = (res) => new Promise((resolve, reject) => {
    res.on('data', () => undefined);
    res.on('end', () => {
      const ok = res.statusCode >= low && res.statusCode <= (high || low);
      if (ok) {
        log.info('GET ' + target.pathname + ' answered ' + res.statusCode);
        resolve();
      } else {
        reject(new Error('GET ' + target.pathname + ' answered ' + res.statusCode + ', expected ' + low + '-' + (high || low)));
      }
    });
    res.on('error', reject);
  });
  await synthetics.executeHttpStep('GET ' + target.pathname, requestOptions, validate, stepConfig);
};
`;
