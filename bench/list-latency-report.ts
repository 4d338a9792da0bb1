/** The list-latency benchmark's report (`list-latency.ts`): a markdown table, the goals, and the plans. */
import type { SqlDialect } from '../src/server/stores/dialect.ts';
import type { Result } from './list-latency-scenarios.ts';
import { EXPLAIN } from './list-latency-targets.ts';

const GOAL_P95_MS = 25;
const GOAL_DEEP_RATIO = 1.5;
const GOAL_AT = 1_000_000;

const ms = (v: number) => v.toFixed(2);

export function report(
  all: Result[],
  plans: Map<number, Map<string, { sql: string; plan: string }>>,
  dialect: SqlDialect,
): void {
  const lines: string[] = [];
  lines.push(
    '| Scenario | N files | HTTP p50 ms | HTTP p95 ms | HTTP max ms | in-process p50 ms | in-process p95 ms | in-process max ms | deep/first (p50, HTTP / in-process) | samples |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  const ratio = (r: Result) => {
    if (!r.scenario.firstOf) return undefined;
    const first = all.find((x) => x.files === r.files && x.scenario.name === r.scenario.firstOf);
    if (!first) return undefined;
    return { http: r.http.p50 / first.http.p50, inProcess: r.inProcess.p50 / first.inProcess.p50 };
  };
  for (const r of all) {
    const q = ratio(r);
    lines.push(
      `| ${r.scenario.name} | ${r.files.toLocaleString('en')} | ${ms(r.http.p50)} | ${ms(r.http.p95)} | ${ms(r.http.max)} | ${ms(r.inProcess.p50)} | ${ms(r.inProcess.p95)} | ${ms(r.inProcess.max)} | ${q ? `${q.http.toFixed(2)} / ${q.inProcess.toFixed(2)}` : ''} | ${r.http.n} / ${r.inProcess.n} |`,
    );
  }
  console.log(lines.join('\n'));

  console.log('\nGoals:');
  const largest = Math.max(...all.map((r) => r.files));
  const goalSize = all.some((r) => r.files >= GOAL_AT) ? largest : undefined;
  if (goalSize === undefined)
    console.log(
      `- (the p95 goal is for ${GOAL_AT.toLocaleString('en')} files; shown here for ${largest.toLocaleString('en')})`,
    );
  for (const r of all.filter((x) => x.files === largest)) {
    const pass = r.http.p95 < GOAL_P95_MS;
    console.log(
      `- ${pass ? 'PASS' : 'FAIL'} p95 < ${GOAL_P95_MS} ms at ${r.files.toLocaleString('en')} files: ${r.scenario.name}: HTTP p95 ${ms(r.http.p95)} ms${pass ? '' : ` (${(r.http.p95 / GOAL_P95_MS).toFixed(1)}x the goal, +${ms(r.http.p95 - GOAL_P95_MS)} ms)`}`,
    );
  }
  for (const r of all) {
    const q = ratio(r);
    if (!q) continue;
    const pass = q.http <= GOAL_DEEP_RATIO;
    console.log(
      `- ${pass ? 'PASS' : 'FAIL'} deep page within ${GOAL_DEEP_RATIO}x of the first page at ${r.files.toLocaleString('en')} files: ${r.scenario.name}: ${q.http.toFixed(2)}x (HTTP p50), ${q.inProcess.toFixed(2)}x (in-process p50)`,
    );
  }

  console.log(
    dialect === 'sqlite'
      ? '\nEXPLAIN QUERY PLAN of each scenario (as `store.listFiles` runs it):'
      : `\n${EXPLAIN.postgres.prefix.toUpperCase()} of each scenario (as \`store.listFiles\` runs it):`,
  );
  for (const [size, bySize] of plans) {
    if (size !== largest) continue;
    for (const [name, { sql, plan }] of bySize) {
      console.log(`\n${name} (${size.toLocaleString('en')} files)\n\n\`\`\`\n${sql}\n--\n${plan}\n\`\`\``);
    }
  }
}
