// A finding as a SARIF result: its rule by id and index, its level, its region, the related places
// (a helper's module, the loss's call site, a training script's call) in their own files, the code
// edit as a fix, and the evidence at full precision in its properties.
import type { Finding } from '../engine';
import { SARIF_LEVEL, type SarifLevel } from './sarifRules';
import type { PhysicalLocation, Span } from './sarifLocations';

export interface Message {
  text: string;
}

type LogicalLocation = { name: string; kind: string };

export interface Result {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: Message;
  locations: { physicalLocation: PhysicalLocation; logicalLocations?: LogicalLocation[] }[];
  relatedLocations?: { id: number; physicalLocation: PhysicalLocation; message: Message }[];
  fixes?: unknown[];
  properties?: Record<string, unknown>;
}

/** A place in the diagnosed file (`file` undefined) or in another project file the report names. */
export type Where = (file: string | undefined, span?: Span) => PhysicalLocation;

/** The loss a result is about, as SARIF's logical location (a function, a class or a call). */
export const lossLocation = (loss: string | undefined) =>
  loss ? { logicalLocations: [{ name: loss, kind: 'function' }] } : {};

/** The rule's index in the driver's rules: a kind outside them means src/cli/rules.json is stale. */
export function ruleIndexOf(ruleIndex: ReadonlyMap<string, number>, id: string): number {
  const index = ruleIndex.get(id);
  if (index === undefined) throw new Error(`${id} is not a SARIF rule (run node scripts/generate.mjs)`);
  return index;
}

/** The finding's code edit as a SARIF fix in the diagnosed file. */
function fixOf(finding: Finding, where: Where) {
  const edit = finding.fix.edit;
  if (!edit) return {};
  const replacement = { deletedRegion: where(undefined, edit).region, insertedContent: { text: edit.newText } };
  const change = { artifactLocation: where(undefined).artifactLocation, replacements: [replacement] };
  return { fixes: [{ description: { text: finding.fix.text }, artifactChanges: [change] }] };
}

export function findingResult(
  finding: Finding,
  loss: string | undefined,
  where: Where,
  ruleIndex: ReadonlyMap<string, number>,
): Result {
  const related = (finding.related ?? []).map((place, id) => ({
    id,
    physicalLocation: where(place.file, { line: place.line }),
    message: { text: place.message },
  }));
  return {
    ruleId: finding.kind,
    ruleIndex: ruleIndexOf(ruleIndex, finding.kind),
    level: SARIF_LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [{ physicalLocation: where(undefined, finding), ...lossLocation(loss) }],
    ...(related.length ? { relatedLocations: related } : {}),
    ...fixOf(finding, where),
    properties: { ...(loss ? { loss } : {}), evidence: finding.evidence, fix: finding.fix.text },
  };
}
