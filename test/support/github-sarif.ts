/**
 * GitHub code scanning's subset of SARIF 2.1.0, as GitHub publishes it, encoded as a validator to run beside the
 * OASIS schema (which a file can pass and still be rejected by code scanning). Each rule names the page it comes from:
 * - SARIF support for code scanning (required properties of the log, run, tool, rule, result and locations):
 *   https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 * - Limits an upload is rejected above:
 *   https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit
 * - Location rules as Microsoft's SARIF multitool checks them for GitHub (GH1001 a location with a physical location,
 *   GH1003 region.startLine, GH1005 relative or file: URIs, GH1017 a non-empty artifactLocation.uri):
 *   https://github.com/microsoft/sarif-sdk/tree/main/src/Sarif.Multitool.Library/Rules
 * The upload error this guards against: "locationFromSarifResult: expected at least one location".
 */

export const GITHUB_LIMITS = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  locationsPerResult: 1_000,
  tagsPerRule: 20,
} as const;

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const arr = (v: unknown): unknown[] | null => (Array.isArray(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

function locationProblems(loc: unknown, at: string): string[] {
  const physical = obj(obj(loc)?.physicalLocation);
  if (!physical) return [`${at}: no physicalLocation (GH1001)`];
  const out: string[] = [];
  const uri = str(obj(physical.artifactLocation)?.uri);
  if (!uri) out.push(`${at}: physicalLocation.artifactLocation.uri is missing or empty (GH1017)`);
  else if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && !uri.startsWith('file:'))
    out.push(`${at}: uri "${uri}" is neither relative nor file: (GH1005)`);
  else if (uri.startsWith('/')) out.push(`${at}: uri "${uri}" is absolute, not repository-relative`);
  const startLine = obj(physical.region)?.startLine;
  if (typeof startLine !== 'number' || !Number.isInteger(startLine) || startLine < 1)
    out.push(`${at}: region.startLine is missing or not a positive line (GH1003)`);
  return out;
}

function resultProblems(r: unknown, at: string, ruleIds: ReadonlySet<string>): string[] {
  const result = obj(r);
  if (!result) return [`${at}: not an object`];
  const out: string[] = [];
  const ruleId = str(result.ruleId);
  if (!ruleId) out.push(`${at}: ruleId is required`);
  else if (!ruleIds.has(ruleId)) out.push(`${at}: ruleId "${ruleId}" names no rule of tool.driver.rules`);
  if (!str(obj(result.message)?.text)) out.push(`${at}: message.text is required`);
  const locations = arr(result.locations);
  if (!locations || locations.length === 0) out.push(`${at}: expected at least one location`);
  else if (locations.length > GITHUB_LIMITS.locationsPerResult) out.push(`${at}: more than ${GITHUB_LIMITS.locationsPerResult} locations`);
  else for (const [i, l] of locations.entries()) out.push(...locationProblems(l, `${at}.locations[${i}]`));
  const fingerprints = obj(result.partialFingerprints);
  if (!fingerprints || Object.keys(fingerprints).length === 0)
    out.push(`${at}: no partialFingerprints (alerts would duplicate across uploads)`);
  return out;
}

function ruleProblems(r: unknown, at: string): string[] {
  const rule = obj(r);
  if (!rule || !str(rule.id)) return [`${at}: id is required`];
  const out: string[] = [];
  const props = obj(rule.properties);
  const tags = arr(props?.tags) ?? [];
  if (tags.length > GITHUB_LIMITS.tagsPerRule) out.push(`${at}: ${tags.length} tags, more than ${GITHUB_LIMITS.tagsPerRule}`);
  const sev = props?.['security-severity'];
  if (sev !== undefined) {
    const n = typeof sev === 'string' ? Number(sev) : Number.NaN;
    if (!(n >= 0 && n <= 10)) out.push(`${at}: security-severity "${String(sev)}" is not a number string from 0.0 to 10.0`);
  }
  return out;
}

/** Every way `doc` breaks GitHub's code-scanning subset; empty when code scanning would accept it. */
export function githubSarifProblems(doc: unknown): string[] {
  const log = obj(doc);
  if (!log) return ['the log is not an object'];
  const out: string[] = [];
  if (log.version !== '2.1.0') out.push('version must be 2.1.0');
  const runs = arr(log.runs);
  if (!runs) return [...out, 'runs is required'];
  if (runs.length > GITHUB_LIMITS.runsPerFile) out.push(`${runs.length} runs, more than ${GITHUB_LIMITS.runsPerFile}`);
  runs.forEach((r, i) => {
    const run = obj(r);
    const driver = obj(obj(run?.tool)?.driver);
    if (!driver || !str(driver.name)) out.push(`runs[${i}].tool.driver.name is required`);
    const rules = arr(driver?.rules) ?? [];
    if (rules.length > GITHUB_LIMITS.rulesPerRun) out.push(`runs[${i}]: more than ${GITHUB_LIMITS.rulesPerRun} rules`);
    for (const [j, x] of rules.entries()) out.push(...ruleProblems(x, `runs[${i}].tool.driver.rules[${j}]`));
    const ruleIds = new Set(rules.map((x) => String(obj(x)?.id)));
    const results = arr(run?.results);
    if (!results) {
      out.push(`runs[${i}].results is required`);
      return;
    }
    if (results.length > GITHUB_LIMITS.resultsPerRun)
      out.push(`runs[${i}]: ${results.length} results, more than ${GITHUB_LIMITS.resultsPerRun}`);
    for (const [j, x] of results.entries()) out.push(...resultProblems(x, `runs[${i}].results[${j}]`, ruleIds));
  });
  return out;
}
